using System.Globalization;
using BoxFusion.Coco;

namespace BoxFusion.Evaluation
{
    /// <summary>What COCO's matching made of a detection, or of a ground-truth box no detection matched.</summary>
    public enum MatchOutcome
    {
        /// <summary>Matched a ground-truth box that counts.</summary>
        TruePositive,
        /// <summary>Matched nothing that counts; <see cref="DetectionMatch.Reason"/> says why.</summary>
        FalsePositive,
        /// <summary>A ground-truth box that counts, matched by no detection (a false negative).</summary>
        Missed,
        /// <summary>Neither counted nor penalised by COCO: on a crowd region, outside the area range, past the max detections, or of a category the ground truth lacks.</summary>
        Ignored,
    }

    /// <summary>Why a detection is a false positive or ignored; None for true positives and missed boxes.</summary>
    public enum MatchReason
    {
        None,
        /// <summary>Overlaps a box of its class enough, but a higher-scoring detection took that box.</summary>
        Duplicate,
        /// <summary>Overlaps a box of another class enough: the right place, the wrong class.</summary>
        WrongClass,
        /// <summary>Overlaps a box of its class, with IoU at least 0.1 but below the threshold: poorly placed.</summary>
        Localization,
        /// <summary>Overlaps no box of its class by 0.1 or more, and no box of another class enough: on the background.</summary>
        Background,
        /// <summary>Matched a crowd region (or a box marked ignore): COCO neither counts nor penalises it.</summary>
        Crowd,
        /// <summary>Unmatched and its area is outside the area range.</summary>
        OutsideAreaRange,
        /// <summary>Below the best max-detections of its image and category: COCO never looks at it.</summary>
        BeyondMaxDetections,
        /// <summary>Its category is not in the ground truth: COCO skips it.</summary>
        CategoryNotInGroundTruth,
    }

    /// <summary>
    /// One row of <see cref="DetectionComparer.Compare"/>: a detection and what it matched, or a ground-truth box that
    /// was missed. <see cref="Iou"/> is the overlap with <see cref="GroundTruth"/> (the matched box for a true positive;
    /// the box behind a duplicate, wrong-class or localization error; the crowd region), else 0.
    /// </summary>
    public sealed class DetectionMatch
    {
        internal DetectionMatch(CocoImage image, string model, MatchOutcome outcome, MatchReason reason, Detection detection,
            CocoAnnotation groundTruth, double iou, int categoryId, string category)
        {
            Image = image;
            Model = model;
            Outcome = outcome;
            Reason = reason;
            Detection = detection;
            GroundTruth = groundTruth;
            Iou = iou;
            CategoryId = categoryId;
            Category = category;
        }

        /// <summary>The ground truth's image id (a long or a string).</summary>
        public object ImageId => Image.Id;

        /// <summary>The image's file_name, or null.</summary>
        public string FileName => Image.FileName;

        /// <summary>The ground truth's image record.</summary>
        public CocoImage Image { get; }

        /// <summary>The model whose detections were compared (also on its missed boxes).</summary>
        public string Model { get; }

        public MatchOutcome Outcome { get; }
        public MatchReason Reason { get; }

        /// <summary>The detection; null for a missed box.</summary>
        public Detection Detection { get; }

        /// <summary>The ground-truth box involved (see the class summary), or null.</summary>
        public CocoAnnotation GroundTruth { get; }

        /// <summary>The annotation id of <see cref="GroundTruth"/>, or null.</summary>
        public long? GroundTruthId => GroundTruth?.Id;

        public double Iou { get; }

        /// <summary>The detection's category, or the missed box's.</summary>
        public int CategoryId { get; }

        /// <summary>The ground truth's name for <see cref="CategoryId"/>, or null.</summary>
        public string Category { get; }

        /// <summary>The detection's score; NaN for a missed box.</summary>
        public double Score => Detection?.Score ?? double.NaN;

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0} {1}{2} cat {3} score {4:0.000} IoU {5:0.000} {6}",
            ImageIds.Describe(ImageId), Outcome, Reason == MatchReason.None ? "" : " (" + Reason + ")", CategoryId, Score, Iou, Model);
    }

    /// <summary>Settings for <see cref="DetectionComparer.Compare"/>.</summary>
    public sealed class ComparisonOptions
    {
        /// <summary>The IoU a detection needs with a ground-truth box to match it (COCO compares with min(t, 1 - 1e-10)).</summary>
        public double IouThreshold { get; set; } = 0.5;

        /// <summary>Detections kept per image and category, by score (COCO's largest maxDets).</summary>
        public int MaxDetections { get; set; } = 100;

        /// <summary>Honour the ground truth's ignore field as well as iscrowd (see <see cref="EvaluationOptions.HonorIgnoreField"/>).</summary>
        public bool HonorIgnoreField { get; set; }
    }
}
