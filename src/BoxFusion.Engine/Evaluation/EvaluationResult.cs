namespace BoxFusion.Evaluation
{
    /// <summary>The COCO bbox statistics of one group of detections (a model, a fused result, or all), named.</summary>
    public sealed class EvaluationResult : CocoStats
    {
        public EvaluationResult(string name, string groundTruth, CocoStats stats)
            : base((double[])stats.Stats.Clone(), stats.PerCategory, stats.ImageCount, stats.DetectionCount, stats.MaxDetections)
        {
            Name = name;
            GroundTruth = groundTruth;
            PrecisionRecall = stats.PrecisionRecall;
        }

        /// <summary>The group: a model name, or "(all)" when not grouped.</summary>
        public string Name { get; }
        public string GroundTruth { get; }

        public override string ToString() => Name + ": " + base.ToString();
    }
}
