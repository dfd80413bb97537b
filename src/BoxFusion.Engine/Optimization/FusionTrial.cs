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
            IReadOnlyList<double> stats, double[] foldScores, TimeSpan duration, int scoresAboveOne = 0, object imageInfoArgument = null)
        {
            Number = number;
            Options = options.Clone();
            Models = new ValueList<string>(models);
            WeightArray = (double[])weights.Clone();
            Weights = new ValueList<double>(weights);
            Metric = metric.ToString();
            Stats = new ValueList<double>(stats);
            FoldScores = new ValueList<double>(foldScores);
            Score = foldScores.Length > 0 ? foldScores.Average() : stats[(int)metric];
            Spread = foldScores.Length > 1 ? Math.Sqrt(foldScores.Sum(s => (s - Score) * (s - Score)) / (foldScores.Length - 1)) : 0;
            Duration = duration;
            ScoresAboveOne = scoresAboveOne;
            ImageInfoArgument = imageInfoArgument;
        }

        /// <summary>Position in the ranking, 1 = best (set when the search ends).</summary>
        public int Rank { get; internal set; }
        /// <summary>Order in which the trial ran.</summary>
        public int Number { get; }
        // Method, ConfidenceType and Metric are names (not enums), so ConvertTo-Json and Export-Csv write "WBF", not 0.
        public string Method => Options.Method.ToString();
        public double IouThreshold => Options.IouThreshold;
        public double SkipBoxThreshold => Options.SkipBoxThreshold;
        public string ConfidenceType => Options.ConfidenceType.ToString();
        /// <summary>The mask vote threshold (WBF and NMW with masks).</summary>
        public double MaskThreshold => Options.MaskThreshold;
        public ValueList<string> Models { get; }
        public ValueList<double> Weights { get; }
        /// <summary>The weights for the next trials of the search.</summary>
        internal double[] WeightArray { get; }
        public string Metric { get; }
        /// <summary>The metric used for ranking: the mean over folds, or the whole set's value without folds.</summary>
        public double Score { get; }
        /// <summary>Standard deviation of the metric over the folds (0 without folds).</summary>
        public double Spread { get; }
        public ValueList<double> FoldScores { get; }
        /// <summary>The 12 COCO statistics on the whole validation set.</summary>
        public ValueList<double> Stats { get; }
        public double AP => Stats[0];
        public double AP50 => Stats[1];
        public double AP75 => Stats[2];
        public TimeSpan Duration { get; }
        /// <summary>
        /// How many fused scores went above 1 (WBF with ConfidenceType Avg and unequal weights, as ensemble-boxes does).
        /// AP only uses their order, but challenge servers may reject them; among equal scores such trials rank last.
        /// </summary>
        public int ScoresAboveOne { get; }
        /// <summary>Minimum votes of this trial (its models with a positive weight decide it under a voting rule).</summary>
        public int MinVotes => Options.MinVotes;
        internal FusionOptions Options { get; }
        private object ImageInfoArgument { get; }

        /// <summary>
        /// Merge-Detection's parameters for this trial, ready to splat: $p = $trial.Parameters; ... | Merge-Detection @p.
        /// They hold every setting that made the trial's result, so the replay scores exactly the same.
        /// </summary>
        public Hashtable Parameters
        {
            get
            {
                var p = new ParameterTable
                {
                    ["Method"] = Method,
                    ["IouThreshold"] = IouThreshold,
                };
                if (Options.Method == FusionMethod.WBF || Options.Method == FusionMethod.NMW) p["SkipBoxThreshold"] = SkipBoxThreshold;
                if (Options.Method == FusionMethod.WBF) p["ConfidenceType"] = ConfidenceType;
                if (Options.Method == FusionMethod.WBF && Options.AllowOverflow) p["AllowOverflow"] = true;
                if ((Options.Method == FusionMethod.WBF || Options.Method == FusionMethod.NMW) && MaskThreshold != 0.5) p["MaskThreshold"] = MaskThreshold;
                if (Options.Method == FusionMethod.SoftNMS)
                {
                    p["SoftNmsFunction"] = Options.SoftNmsFunction.ToString();
                    p["Sigma"] = Options.Sigma;
                    if (Options.ScoreThreshold != Defaults.ScoreThreshold) p["ScoreThreshold"] = Options.ScoreThreshold;
                }
                if (Options.ClassAgnostic) p["ClassAgnostic"] = true;
                if (Options.MaxDetectionsPerImage > 0) p["MaxDetectionsPerImage"] = Options.MaxDetectionsPerImage;
                if (Options.MinVotes != Defaults.MinVotes) p["MinVotes"] = Options.MinVotes;
                if (ImageInfoArgument != null) p["ImageInfo"] = ImageInfoArgument;
                if (Weights.Any(w => w != 1))
                {
                    var byModel = new ParameterTable();
                    for (int i = 0; i < Models.Count; i++) byModel[Models[i]] = Weights[i];
                    p["Weight"] = byModel;
                }
                return p;
            }
        }

        private static readonly FusionOptions Defaults = new FusionOptions();

        /// <summary>Weights as "yolox=2 cascade=1".</summary>
        public string WeightText => string.Join(" ", Models.Select((m, i) => m + "=" + Weights[i].ToString("0.##", CultureInfo.InvariantCulture)));

        public override string ToString() => string.Format(CultureInfo.InvariantCulture,
            "#{0} {1} iou {2:0.###} skip {3:0.###} {4} [{5}]: {6} {7:0.0000}", Rank, Method, IouThreshold, SkipBoxThreshold, ConfidenceType, WeightText, Metric, Score);
    }
}
