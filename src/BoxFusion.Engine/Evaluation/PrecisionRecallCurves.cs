using System;
using System.Collections.Generic;
using System.Globalization;
using BoxFusion.Coco;

namespace BoxFusion.Evaluation
{
    /// <summary>
    /// pycocotools' accumulate() output (COCOeval.eval): precision and scores [T, R, K, A, M], recall [T, K, A, M], with
    /// the values of each axis. -1 marks a setting with nothing to measure (no ground truth that counts, or no image with
    /// either ground truth or detections of that category), as in pycocotools. The arrays are <see cref="CocoArray"/>s,
    /// so that serializing a result (Export-Clixml, ConvertTo-Json) writes their shapes, not two million numbers.
    /// </summary>
    public sealed class PrecisionRecallCurves
    {
        private static readonly string[] FiveAxes = { "T", "R", "K", "A", "M" };
        private static readonly string[] FourAxes = { "T", "K", "A", "M" };
        private readonly double[,,,,] precisionValues;

        internal PrecisionRecallCurves(double[] iouThresholds, double[] recallThresholds, IReadOnlyList<CocoCategory> categories,
            string[] areaRanges, int[] maxDetections, double[,,,,] precision, double[,,,] recall, double[,,,,] scores)
        {
            IouThresholds = iouThresholds;
            RecallThresholds = recallThresholds;
            CategoryIds = new int[categories.Count];
            CategoryNames = new string[categories.Count];
            for (int k = 0; k < categories.Count; k++)
            {
                CategoryIds[k] = categories[k].Id;
                CategoryNames[k] = categories[k].Name;
            }
            AreaRanges = areaRanges;
            MaxDetections = maxDetections;
            precisionValues = precision;
            Precision = new CocoArray(precision, FiveAxes);
            Recall = new CocoArray(recall, FourAxes);
            Scores = new CocoArray(scores, FiveAxes);
        }

        /// <summary>Axis T: the IoU thresholds .50, .55, ..., .95.</summary>
        public double[] IouThresholds { get; }

        /// <summary>Axis R: the recall thresholds 0, .01, ..., 1.</summary>
        public double[] RecallThresholds { get; }

        /// <summary>Axis K: the ground truth's category ids, ascending.</summary>
        public int[] CategoryIds { get; }

        /// <summary>The names of <see cref="CategoryIds"/>, in the same order.</summary>
        public string[] CategoryNames { get; }

        /// <summary>Axis A: all, small, medium, large.</summary>
        public string[] AreaRanges { get; }

        /// <summary>Axis M: the max-detections settings, ascending.</summary>
        public int[] MaxDetections { get; }

        /// <summary>eval['precision'] [T, R, K, A, M]: interpolated precision at each recall threshold.</summary>
        public CocoArray Precision { get; }

        /// <summary>eval['recall'] [T, K, A, M]: the highest recall reached.</summary>
        public CocoArray Recall { get; }

        /// <summary>eval['scores'] [T, R, K, A, M]: the score of the detection where each recall threshold is reached.</summary>
        public CocoArray Scores { get; }

        public override string ToString() => string.Format(CultureInfo.InvariantCulture,
            "precision and scores {0}, recall {1}", Precision, Recall);

        /// <summary>
        /// One curve: precision at each recall threshold, the mean over the chosen IoU thresholds (all when null) and
        /// categories (all when null) of the entries above -1, at the chosen area range and the largest max-detections.
        /// Null when no entry has a value.
        /// </summary>
        public double[] GetCurve(double? iouThreshold = null, int? categoryId = null, string areaRange = "all")
        {
            var (ts, ks, a, m) = Select(iouThreshold, categoryId, areaRange);
            int R = RecallThresholds.Length;
            var curve = new double[R];
            bool any = false;
            for (int r = 0; r < R; r++)
            {
                double sum = 0;
                int count = 0;
                foreach (int t in ts)
                    foreach (int k in ks)
                    {
                        double v = precisionValues[t, r, k, a, m];
                        if (v > -1) { sum += v; count++; }
                    }
                curve[r] = count > 0 ? sum / count : double.NaN;
                any |= count > 0;
            }
            return any ? curve : null;
        }

        /// <summary>
        /// AP for the same selection as <see cref="GetCurve"/>: the mean of every selected entry above -1 (what COCO's
        /// summary takes), or -1 when there is none.
        /// </summary>
        public double GetAveragePrecision(double? iouThreshold = null, int? categoryId = null, string areaRange = "all")
        {
            var (ts, ks, a, m) = Select(iouThreshold, categoryId, areaRange);
            var values = new List<double>();
            foreach (int t in ts)
                for (int r = 0; r < RecallThresholds.Length; r++)
                    foreach (int k in ks)
                    {
                        double v = precisionValues[t, r, k, a, m];
                        if (v > -1) values.Add(v);
                    }
            return values.Count == 0 ? -1 : NumPy.Mean(values.ToArray(), values.Count);
        }

        private (List<int> ts, List<int> ks, int a, int m) Select(double? iouThreshold, int? categoryId, string areaRange)
        {
            var ts = new List<int>();
            for (int t = 0; t < IouThresholds.Length; t++)
                if (!iouThreshold.HasValue || Math.Abs(IouThresholds[t] - iouThreshold.Value) < 1e-9) ts.Add(t);
            if (ts.Count == 0)
                throw new ArgumentException(string.Format(CultureInfo.InvariantCulture,
                    "IoU threshold {0} is not one of the evaluated thresholds (.50, .55, ..., .95).", iouThreshold), nameof(iouThreshold));
            var ks = new List<int>();
            for (int k = 0; k < CategoryIds.Length; k++)
                if (!categoryId.HasValue || CategoryIds[k] == categoryId.Value) ks.Add(k);
            if (ks.Count == 0)
                throw new ArgumentException("Category " + categoryId + " is not in the ground truth.", nameof(categoryId));
            int a = Array.IndexOf(AreaRanges, areaRange);
            if (a < 0)
                throw new ArgumentException("Area range '" + areaRange + "' is not one of " + string.Join(", ", AreaRanges) + ".", nameof(areaRange));
            return (ts, ks, a, MaxDetections.Length - 1);
        }

        /// <summary>Copies the run's arrays (engine layout) into pycocotools' axis order.</summary>
        internal static PrecisionRecallCurves From(EvaluationRun run, IReadOnlyList<CocoCategory> categories)
        {
            int T = run.T, R = run.R, K = run.K, A = run.A, M = run.M;
            var precision = new double[T, R, K, A, M];
            var scores = new double[T, R, K, A, M];
            var recall = new double[T, K, A, M];
            for (int t = 0; t < T; t++)
                for (int k = 0; k < K; k++)
                    for (int a = 0; a < A; a++)
                        for (int m = 0; m < M; m++)
                        {
                            recall[t, k, a, m] = run.Recall[run.RecallIndex(t, k, a, m)];
                            int at = run.PrecisionIndex(t, 0, k, a, m);
                            for (int r = 0; r < R; r++)
                            {
                                precision[t, r, k, a, m] = run.Precision[at + r];
                                scores[t, r, k, a, m] = run.Scores[at + r];
                            }
                        }
            return new PrecisionRecallCurves((double[])run.IouThrs.Clone(), (double[])run.RecThrs.Clone(), categories,
                (string[])EvaluationParams.AreaLabels.Clone(), (int[])run.MaxDets.Clone(), precision, recall, scores);
        }
    }
}
