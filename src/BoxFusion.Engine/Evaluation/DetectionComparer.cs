using System;
using System.Collections.Generic;
using System.Threading;
using BoxFusion.Coco;

namespace BoxFusion.Evaluation
{
    /// <summary>The rows of one comparison, and the detections that could not be compared.</summary>
    public sealed class DetectionComparison
    {
        internal DetectionComparison(List<DetectionMatch> matches, List<Detection> notInGroundTruth, List<Detection> ambiguous)
        {
            Matches = matches;
            NotInGroundTruth = notInGroundTruth;
            AmbiguousImage = ambiguous;
        }

        /// <summary>Image by image in the ground truth's order: detections by score (highest first), then missed boxes.</summary>
        public IReadOnlyList<DetectionMatch> Matches { get; }

        /// <summary>Detections whose image is not in the ground truth, in input order; they are not in <see cref="Matches"/>.</summary>
        public IReadOnlyList<Detection> NotInGroundTruth { get; }

        /// <summary>Detections whose image id is a name several images of the ground truth fit; not compared either.</summary>
        public IReadOnlyList<Detection> AmbiguousImage { get; }
    }

    /// <summary>
    /// Per image and per detection, what COCOeval's evaluateImg decides at one IoU threshold, area range 'all' and one
    /// max-detections setting: true positives with their ground-truth box, false positives (with a reason), missed
    /// boxes and ignored detections. The matching is pycocotools' greedy rule: detections by score, each takes the
    /// unmatched box of its class with the highest IoU at or above the threshold, boxes that count before ignored ones,
    /// and crowd regions may be matched many times. One call compares one model's detections.
    /// </summary>
    public static class DetectionComparer
    {
        /// <summary>The IoU with a box of the same class from which an unmatched detection counts as poorly placed.</summary>
        public const double LocalizationIou = 0.1;

        private const double AreaHigh = 1e5 * 1e5;   // COCO's area range 'all' is [0, 1e10]

        public static DetectionComparison Compare(CocoGroundTruth gt, IReadOnlyList<Detection> detections, string model,
            ComparisonOptions options = null, CancellationToken cancel = default)
        {
            if (gt == null) throw new ArgumentNullException(nameof(gt));
            if (detections == null) throw new ArgumentNullException(nameof(detections));
            options = options ?? new ComparisonOptions();
            if (!(options.IouThreshold >= 0 && options.IouThreshold <= 1))
                throw new ArgumentOutOfRangeException(nameof(options), "IouThreshold must be between 0 and 1.");
            if (options.MaxDetections < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxDetections must be 1 or more.");

            var categoryNames = new Dictionary<int, string>();
            foreach (var c in gt.Categories)
                if (!categoryNames.ContainsKey(c.Id)) categoryNames.Add(c.Id, c.Name);

            var gtByImage = new Dictionary<CocoImage, List<CocoAnnotation>>();
            foreach (var ann in gt.Annotations)
            {
                if (!categoryNames.ContainsKey(ann.CategoryId) || !gt.TryGetImageById(ann.ImageId, out var image)) continue;
                if (!gtByImage.TryGetValue(image, out var list)) gtByImage.Add(image, list = new List<CocoAnnotation>());
                list.Add(ann);
            }
            var dtByImage = new Dictionary<CocoImage, List<Detection>>();
            var unknown = new List<Detection>();
            var ambiguous = new List<Detection>();
            CocoImage last = null;
            object lastId = null;
            List<Detection> lastList = null;
            for (int j = 0; j < detections.Count; j++)
            {
                var d = detections[j] ?? throw new ArgumentException("Detection " + j + " is null.", nameof(detections));
                if (last != null && d.ImageId != null && d.ImageId.Equals(lastId)) { lastList.Add(d); continue; }
                CocoImage image;
                try
                {
                    if (!gt.TryFindImage(d.ImageId, out image)) { unknown.Add(d); continue; }
                }
                catch (AmbiguousImageIdException)
                {
                    ambiguous.Add(d);
                    continue;
                }
                if (!dtByImage.TryGetValue(image, out var list)) dtByImage.Add(image, list = new List<Detection>());
                list.Add(d);
                last = image; lastId = d.ImageId; lastList = list;
            }

            var matches = new List<DetectionMatch>();
            var context = new ImageContext { Options = options, Model = model, CategoryNames = categoryNames };
            foreach (var image in gt.Images)
            {
                cancel.ThrowIfCancellationRequested();
                gtByImage.TryGetValue(image, out var gts);
                dtByImage.TryGetValue(image, out var dts);
                if (gts == null && dts == null) continue;
                CompareImage(context, image, gts ?? new List<CocoAnnotation>(), dts ?? new List<Detection>(), matches);
            }
            return new DetectionComparison(matches, unknown, ambiguous);
        }

        private sealed class ImageContext
        {
            public ComparisonOptions Options;
            public string Model;
            public Dictionary<int, string> CategoryNames;
        }

        private static void CompareImage(ImageContext context, CocoImage image, List<CocoAnnotation> gts, List<Detection> dts, List<DetectionMatch> output)
        {
            var rows = new List<DetectionMatch>(dts.Count);
            var missed = new List<DetectionMatch>();
            var byCategory = new SortedDictionary<int, (List<Detection> Dts, List<CocoAnnotation> Gts)>();
            foreach (var d in dts)
            {
                if (!context.CategoryNames.ContainsKey(d.CategoryId))
                {
                    rows.Add(new DetectionMatch(image, context.Model, MatchOutcome.Ignored, MatchReason.CategoryNotInGroundTruth, d, null, 0, d.CategoryId, null));
                    continue;
                }
                Cell(byCategory, d.CategoryId).Dts.Add(d);
            }
            foreach (var g in gts) Cell(byCategory, g.CategoryId).Gts.Add(g);
            foreach (var entry in byCategory)
                CompareCell(context, image, entry.Key, entry.Value.Dts, entry.Value.Gts, gts, rows, missed);
            // highest score first across categories; a stable sort keeps equal scores in category order
            var sorted = new List<KeyValuePair<int, DetectionMatch>>(rows.Count);
            for (int i = 0; i < rows.Count; i++) sorted.Add(new KeyValuePair<int, DetectionMatch>(i, rows[i]));
            sorted.Sort((x, y) =>
            {
                int c = y.Value.Score.CompareTo(x.Value.Score);
                return c != 0 ? c : x.Key.CompareTo(y.Key);
            });
            foreach (var pair in sorted) output.Add(pair.Value);
            output.AddRange(missed);
        }

        private static (List<Detection> Dts, List<CocoAnnotation> Gts) Cell(SortedDictionary<int, (List<Detection>, List<CocoAnnotation>)> cells, int k)
        {
            if (!cells.TryGetValue(k, out var cell)) cells.Add(k, cell = (new List<Detection>(), new List<CocoAnnotation>()));
            return cell;
        }

        /// <summary>One image and category, as evaluateImg does it for one threshold, then a reason for each false positive.</summary>
        private static void CompareCell(ImageContext context, CocoImage image, int k, List<Detection> dts, List<CocoAnnotation> gts,
            List<CocoAnnotation> imageGts, List<DetectionMatch> rows, List<DetectionMatch> missed)
        {
            var options = context.Options;
            string name = context.CategoryNames[k];
            // dt sorted by score, highest first (stable), cut to maxDets
            var order = new List<KeyValuePair<int, Detection>>(dts.Count);
            for (int i = 0; i < dts.Count; i++) order.Add(new KeyValuePair<int, Detection>(i, dts[i]));
            order.Sort((x, y) =>
            {
                if (x.Value.Score > y.Value.Score) return -1;
                if (x.Value.Score < y.Value.Score) return 1;
                return x.Key.CompareTo(y.Key);
            });
            int D = Math.Min(order.Count, options.MaxDetections);
            for (int i = D; i < order.Count; i++)
                rows.Add(new DetectionMatch(image, context.Model, MatchOutcome.Ignored, MatchReason.BeyondMaxDetections, order[i].Value, null, 0, k, name));

            // gt: boxes that count first, ignored ones last (stable)
            var sortedGts = new List<CocoAnnotation>(gts.Count);
            var ignored = new List<bool>(gts.Count);
            foreach (bool wantIgnored in new[] { false, true })
                foreach (var g in gts)
                    if (IsIgnored(g, options) == wantIgnored) { sortedGts.Add(g); ignored.Add(wantIgnored); }
            int G = sortedGts.Count;
            var ious = new double[D, G];
            for (int d = 0; d < D; d++)
                for (int g = 0; g < G; g++) ious[d, g] = BoxIou(order[d].Value, sortedGts[g], sortedGts[g].IsCrowd);

            double threshold = Math.Min(options.IouThreshold, 1 - 1e-10);
            var taken = new bool[G];
            for (int d = 0; d < D; d++)
            {
                var det = order[d].Value;
                double best = threshold;
                int m = -1;
                for (int g = 0; g < G; g++)
                {
                    if (taken[g] && !sortedGts[g].IsCrowd) continue;
                    if (m > -1 && !ignored[m] && ignored[g]) break;
                    if (ious[d, g] < best) continue;
                    best = ious[d, g];
                    m = g;
                }
                if (m >= 0)
                {
                    taken[m] = true;
                    var outcome = ignored[m] ? MatchOutcome.Ignored : MatchOutcome.TruePositive;
                    rows.Add(new DetectionMatch(image, context.Model, outcome, ignored[m] ? MatchReason.Crowd : MatchReason.None,
                        det, sortedGts[m], ious[d, m], k, name));
                    continue;
                }
                double area = det.Width * det.Height;
                if (area < 0 || area > AreaHigh)
                {
                    rows.Add(new DetectionMatch(image, context.Model, MatchOutcome.Ignored, MatchReason.OutsideAreaRange, det, null, 0, k, name));
                    continue;
                }
                rows.Add(FalsePositive(context, image, det, k, name, sortedGts, ious, d, imageGts, threshold));
            }
            for (int g = 0; g < G; g++)
                if (!ignored[g] && !taken[g])
                    missed.Add(new DetectionMatch(image, context.Model, MatchOutcome.Missed, MatchReason.None, null, sortedGts[g], 0, k, name));
        }

        private static DetectionMatch FalsePositive(ImageContext context, CocoImage image, Detection det, int k, string name,
            List<CocoAnnotation> sameClass, double[,] ious, int d, List<CocoAnnotation> imageGts, double threshold)
        {
            // the best overlap with a box of its class that is not a crowd region
            CocoAnnotation near = null;
            double nearIou = 0;
            for (int g = 0; g < sameClass.Count; g++)
                if (!sameClass[g].IsCrowd && ious[d, g] > nearIou) { nearIou = ious[d, g]; near = sameClass[g]; }
            if (near != null && nearIou >= threshold)   // only a box already taken can be left at this overlap
                return new DetectionMatch(image, context.Model, MatchOutcome.FalsePositive, MatchReason.Duplicate, det, near, nearIou, k, name);
            CocoAnnotation other = null;
            double otherIou = 0;
            foreach (var g in imageGts)
            {
                if (g.CategoryId == det.CategoryId || g.IsCrowd) continue;
                double v = BoxIou(det, g, false);
                if (v > otherIou) { otherIou = v; other = g; }
            }
            if (other != null && otherIou >= threshold)
                return new DetectionMatch(image, context.Model, MatchOutcome.FalsePositive, MatchReason.WrongClass, det, other, otherIou, k, name);
            if (near != null && nearIou >= LocalizationIou)
                return new DetectionMatch(image, context.Model, MatchOutcome.FalsePositive, MatchReason.Localization, det, near, nearIou, k, name);
            return new DetectionMatch(image, context.Model, MatchOutcome.FalsePositive, MatchReason.Background, det, null, 0, k, name);
        }

        private static bool IsIgnored(CocoAnnotation g, ComparisonOptions options) =>
            g.IsCrowd || (options.HonorIgnoreField && g.Ignore) || g.Area < 0 || g.Area > AreaHigh;

        /// <summary>maskApi's bbIou for one pair: a crowd region divides by the detection's own area.</summary>
        internal static double BoxIou(Detection d, CocoAnnotation g, bool crowd)
        {
            double w = Math.Min(d.Width + d.X, g.Width + g.X) - Math.Max(d.X, g.X);
            if (w <= 0) return 0;
            double h = Math.Min(d.Height + d.Y, g.Height + g.Y) - Math.Max(d.Y, g.Y);
            if (h <= 0) return 0;
            double da = d.Width * d.Height, inter = w * h;
            return inter / (crowd ? da : da + g.Width * g.Height - inter);
        }
    }
}
