using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BoxFusion.Fusion;

namespace BoxFusion.Optimization
{
    /// <summary>The COCO statistics Optimize-Fusion can rank by, in pycocotools' order.</summary>
    public enum CocoMetric { AP, AP50, AP75, APSmall, APMedium, APLarge, AR1, AR10, AR100, ARSmall, ARMedium, ARLarge }

    /// <summary>One evaluated set of fusion parameters.</summary>
    public sealed class FusionTrial
    {
        internal FusionTrial(int number, FusionOptions options, IReadOnlyList<string> models, double[] weights, CocoMetric metric,
            double[] stats, double[] foldScores, TimeSpan duration)
        {
            Number = number;
            Options = options.Clone();
            Models = models.ToArray();
            Weights = (double[])weights.Clone();
            Metric = metric;
            Stats = stats;
            FoldScores = foldScores;
            Score = foldScores.Length > 0 ? foldScores.Average() : stats[(int)metric];
            Spread = foldScores.Length > 1 ? Math.Sqrt(foldScores.Sum(s => (s - Score) * (s - Score)) / (foldScores.Length - 1)) : 0;
            Duration = duration;
        }

        /// <summary>Position in the ranking, 1 = best (set when the search ends).</summary>
        public int Rank { get; internal set; }
        /// <summary>Order in which the trial ran.</summary>
        public int Number { get; }
        public FusionMethod Method => Options.Method;
        public double IouThreshold => Options.IouThreshold;
        public double SkipBoxThreshold => Options.SkipBoxThreshold;
        public ConfidenceType ConfidenceType => Options.ConfidenceType;
        /// <summary>The mask vote threshold (WBF and NMW with masks).</summary>
        public double MaskThreshold => Options.MaskThreshold;
        public IReadOnlyList<string> Models { get; }
        public double[] Weights { get; }
        public CocoMetric Metric { get; }
        /// <summary>The metric used for ranking: the mean over folds, or the whole set's value without folds.</summary>
        public double Score { get; }
        /// <summary>Standard deviation of the metric over the folds (0 without folds).</summary>
        public double Spread { get; }
        public double[] FoldScores { get; }
        /// <summary>The 12 COCO statistics on the whole validation set.</summary>
        public double[] Stats { get; }
        public double AP => Stats[0];
        public double AP50 => Stats[1];
        public double AP75 => Stats[2];
        public TimeSpan Duration { get; }
        internal FusionOptions Options { get; }

        /// <summary>Merge-Detection's parameters for this trial, ready to splat: $p = $trial.Parameters; ... | Merge-Detection @p.</summary>
        public Hashtable Parameters
        {
            get
            {
                var p = new Hashtable(StringComparer.OrdinalIgnoreCase)
                {
                    ["Method"] = Method.ToString(),
                    ["IouThreshold"] = IouThreshold,
                };
                if (Method == FusionMethod.WBF || Method == FusionMethod.NMW) p["SkipBoxThreshold"] = SkipBoxThreshold;
                if (Method == FusionMethod.WBF) p["ConfidenceType"] = ConfidenceType.ToString();
                if ((Method == FusionMethod.WBF || Method == FusionMethod.NMW) && MaskThreshold != 0.5) p["MaskThreshold"] = MaskThreshold;
                if (Method == FusionMethod.SoftNMS)
                {
                    p["SoftNmsFunction"] = Options.SoftNmsFunction.ToString();
                    p["Sigma"] = Options.Sigma;
                }
                if (Weights.Any(w => w != 1))
                {
                    var byModel = new Hashtable(StringComparer.OrdinalIgnoreCase);
                    for (int i = 0; i < Models.Count; i++) byModel[Models[i]] = Weights[i];
                    p["Weight"] = byModel;
                }
                return p;
            }
        }

        /// <summary>Weights as "yolox=2 cascade=1".</summary>
        public string WeightText => string.Join(" ", Models.Select((m, i) => m + "=" + Weights[i].ToString("0.##", CultureInfo.InvariantCulture)));

        public override string ToString() => string.Format(CultureInfo.InvariantCulture,
            "#{0} {1} iou {2:0.###} skip {3:0.###} {4} [{5}]: {6} {7:0.0000}", Rank, Method, IouThreshold, SkipBoxThreshold, ConfidenceType, WeightText, Metric, Score);
    }
}
