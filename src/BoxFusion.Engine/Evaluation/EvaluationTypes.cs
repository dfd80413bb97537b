using System;
using System.Collections.Generic;

namespace BoxFusion.Evaluation
{
    /// <summary>What is compared with the ground truth: boxes, or instance masks (pycocotools' iouType).</summary>
    public enum IouType
    {
        Bbox,
        Segm,
    }

    /// <summary>Settings for <see cref="CocoEvaluator.Evaluate"/>.</summary>
    public sealed class EvaluationOptions
    {
        /// <summary>Bbox (default) or Segm: masks, which needs a ground truth loaded with masks.</summary>
        public IouType IouType { get; set; } = IouType.Bbox;

        /// <summary>
        /// pycocotools' <c>maxDets</c> (sorted before use, as pycocotools does). At least 3 values:
        /// AR uses the first three, the AP figures use the third, and stats[0] (AP) uses 100 like
        /// pycocotools, so it is -1 when 100 is not among them.
        /// </summary>
        public int[] MaxDetections { get; set; } = { 1, 10, 100 };

        /// <summary>Also report AP per category (<see cref="CocoStats.PerCategory"/>).</summary>
        public bool PerCategory { get; set; }

        /// <summary>Threads to use; -1 (or 0) for all cores. Results do not depend on it.</summary>
        public int MaxDegreeOfParallelism { get; set; } = -1;

        /// <summary>
        /// Honour the ground truth's <c>ignore</c> field (ignore = ignore OR iscrowd). Off by default because
        /// pycocotools' COCOeval._prepare overwrites <c>gt['ignore']</c> with <c>iscrowd</c>, so the field has no effect there.
        /// </summary>
        public bool HonorIgnoreField { get; set; }

        /// <summary>Keep accumulate()'s arrays (<see cref="CocoStats.PrecisionRecall"/>): precision, recall and scores.</summary>
        public bool KeepPrecisionRecall { get; set; }
    }

    /// <summary>AP of one category (IoU .50:.95 and .50, area all, the largest max-detections).</summary>
    public sealed class CategoryAp
    {
        public CategoryAp(int categoryId, string name, double ap, double ap50, int gtCount)
        {
            CategoryId = categoryId;
            Name = name;
            AP = ap;
            AP50 = ap50;
            GtCount = gtCount;
        }

        public int CategoryId { get; }
        public string Name { get; }

        /// <summary>Mean precision over IoU .50:.95 and the recall thresholds; -1 when the category has no (non-crowd) GT.</summary>
        public double AP { get; }

        /// <summary>AP at IoU .50; -1 when the category has no (non-crowd) GT.</summary>
        public double AP50 { get; }

        /// <summary>Ground-truth boxes of this category that count (not crowd / ignored), over all evaluated images.</summary>
        public int GtCount { get; }

        public override string ToString() => string.Format(System.Globalization.CultureInfo.InvariantCulture,
            "{0} {1}: AP {2:0.000} AP50 {3:0.000} ({4} GT)", CategoryId, Name, AP, AP50, GtCount);
    }

    /// <summary>The 12 COCO summary numbers, in pycocotools' <c>stats</c> order; -1 where there was nothing to measure.</summary>
    public class CocoStats
    {
        public CocoStats(IReadOnlyList<double> stats, IReadOnlyList<CategoryAp> perCategory, int imageCount, int detectionCount, IReadOnlyList<int> maxDetections)
        {
            if (stats == null || stats.Count != 12) throw new ArgumentException("12 stats expected.", nameof(stats));
            Stats = new ValueList<double>(stats);
            PerCategory = perCategory == null ? null : new ValueList<CategoryAp>(perCategory);
            ImageCount = imageCount;
            DetectionCount = detectionCount;
            MaxDetections = maxDetections == null ? null : new ValueList<int>(maxDetections);
        }

        /// <summary>AP, AP50, AP75, APs, APm, APl, AR1, AR10, AR100, ARs, ARm, ARl (pycocotools order).</summary>
        public ValueList<double> Stats { get; }

        public double AP => Stats[0];
        public double AP50 => Stats[1];
        public double AP75 => Stats[2];
        public double APSmall => Stats[3];
        public double APMedium => Stats[4];
        public double APLarge => Stats[5];
        /// <summary>AR at MaxDetections[0] (1 by default).</summary>
        public double AR1 => Stats[6];
        /// <summary>AR at MaxDetections[1] (10 by default).</summary>
        public double AR10 => Stats[7];
        /// <summary>AR at MaxDetections[2] (100 by default).</summary>
        public double AR100 => Stats[8];
        public double ARSmall => Stats[9];
        public double ARMedium => Stats[10];
        public double ARLarge => Stats[11];

        /// <summary>Per-category AP in category-id order; null unless <see cref="EvaluationOptions.PerCategory"/>.</summary>
        public ValueList<CategoryAp> PerCategory { get; }

        /// <summary>Ground-truth images evaluated (all of them).</summary>
        public int ImageCount { get; }

        /// <summary>Detections given (including any whose category is not in the ground truth, which pycocotools ignores).</summary>
        public int DetectionCount { get; }

        /// <summary>The (sorted) max-detections values used.</summary>
        public ValueList<int> MaxDetections { get; }

        /// <summary>Bbox or Segm.</summary>
        public IouType IouType { get; internal set; }

        /// <summary>Segm: detections without a mask, scored with their box as the mask (as pycocotools does).</summary>
        public int DetectionsWithoutMask { get; internal set; }

        /// <summary>Segm: detections whose mask size differs from their image's; they match nothing (pycocotools' IoU -1).</summary>
        public int MaskSizeMismatches { get; internal set; }

        /// <summary>Segm: the first detection (position in the list) counted in <see cref="MaskSizeMismatches"/>, or -1.</summary>
        public int FirstMaskSizeMismatch { get; internal set; } = -1;

        internal void CopyMaskCounts(CocoStats from)
        {
            IouType = from.IouType;
            DetectionsWithoutMask = from.DetectionsWithoutMask;
            MaskSizeMismatches = from.MaskSizeMismatches;
            FirstMaskSizeMismatch = from.FirstMaskSizeMismatch;
        }

        /// <summary>pycocotools' accumulate() arrays; null unless <see cref="EvaluationOptions.KeepPrecisionRecall"/>.</summary>
        public PrecisionRecallCurves PrecisionRecall { get; internal set; }

        public override string ToString() => string.Format(System.Globalization.CultureInfo.InvariantCulture,
            "AP {0:0.000} AP50 {1:0.000} AP75 {2:0.000} APs {3:0.000} APm {4:0.000} APl {5:0.000} AR1 {6:0.000} AR10 {7:0.000} AR100 {8:0.000} ARs {9:0.000} ARm {10:0.000} ARl {11:0.000}",
            Stats[0], Stats[1], Stats[2], Stats[3], Stats[4], Stats[5], Stats[6], Stats[7], Stats[8], Stats[9], Stats[10], Stats[11]);
    }

    /// <summary>A detection names an image that is not in the ground truth (pycocotools: "Results do not correspond to current coco set").</summary>
    public sealed class UnknownImageException : Exception
    {
        public UnknownImageException(object imageId, int detectionIndex, string groundTruthPath)
            : base(string.Format(System.Globalization.CultureInfo.InvariantCulture,
                "Detection {0} is on image {1}, which is not in the ground truth{2} (matched against images[].id and file_name).",
                detectionIndex, imageId == null ? "(none)" : ImageIds.Describe(imageId),
                groundTruthPath == null ? "" : " '" + groundTruthPath + "'"))
        {
            ImageId = imageId;
            DetectionIndex = detectionIndex;
        }

        /// <summary>The unknown image id (long or string).</summary>
        public object ImageId { get; }

        /// <summary>Position of the first such detection in the list.</summary>
        public int DetectionIndex { get; }
    }
}
