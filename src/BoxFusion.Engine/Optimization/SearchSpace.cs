using System;
using System.Linq;
using BoxFusion.Fusion;

namespace BoxFusion.Optimization
{
    /// <summary>What Optimize-Fusion may vary, and its bounds.</summary>
    public sealed class SearchSpace
    {
        public FusionMethod[] Methods { get; set; } = { FusionMethod.WBF, FusionMethod.NMS, FusionMethod.SoftNMS, FusionMethod.NMW };
        public double[] IouThresholds { get; set; } = Enumerable.Range(0, 11).Select(i => Math.Round(0.3 + 0.05 * i, 2)).ToArray();
        public double[] SkipBoxThresholds { get; set; } = { 0, 0.001, 0.01, 0.05 };
        public ConfidenceType[] ConfidenceTypes { get; set; } = { ConfidenceType.Avg, ConfidenceType.Max, ConfidenceType.BoxAndModelAvg, ConfidenceType.AbsentModelAwareAvg };
        public double[] Sigmas { get; set; } = { 0.1, 0.5, 1.0 };
        /// <summary>Per-model weights tried by coordinate search; 0 drops a model.</summary>
        public double[] WeightValues { get; set; } = { 0, 0.5, 1, 2, 3 };
        public bool SearchWeights { get; set; } = true;
        public CocoMetric Metric { get; set; } = CocoMetric.AP;
        /// <summary>Bbox ranks by box mAP; Segm by mask mAP, and also tries <see cref="MaskThresholds"/> for WBF and NMW.</summary>
        public Evaluation.IouType IouType { get; set; } = Evaluation.IouType.Bbox;
        /// <summary>Mask vote thresholds tried (Segm, WBF and NMW, when the detections have masks).</summary>
        public double[] MaskThresholds { get; set; } = { 0.3, 0.4, 0.5, 0.6, 0.7 };
        /// <summary>Disjoint image folds to score on (1 = the whole set).</summary>
        public int Folds { get; set; } = 1;
        public int MaxTrials { get; set; } = 200;
        public TimeSpan TimeBudget { get; set; } = TimeSpan.Zero;
        /// <summary>Options every trial starts from (e.g. MaxDetectionsPerImage, ClassAgnostic, MinVotes).</summary>
        public FusionOptions BaseOptions { get; set; } = new FusionOptions();
        /// <summary>
        /// A voting rule: a trial's minimum votes from the number of models it weights above 0 (a trial that drops a
        /// model has fewer voters). Null keeps BaseOptions.MinVotes for every trial.
        /// </summary>
        public Func<int, int> MinVotesForModels { get; set; }
        /// <summary>
        /// What each trial's Parameters give as ImageInfo (e.g. the annotations file's full path), so that a replay
        /// clips as the search did; null when the search does not clip.
        /// </summary>
        public object ImageInfoArgument { get; set; }
    }
}
