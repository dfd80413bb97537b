namespace BoxFusion.Evaluation
{
    /// <summary>The COCO statistics (bbox or segm) of one group of detections (a model, a fused result, or all), named.</summary>
    public sealed class EvaluationResult : CocoStats
    {
        public EvaluationResult(string name, string groundTruth, CocoStats stats)
            : base(stats.Stats, stats.PerCategory, stats.ImageCount, stats.DetectionCount, stats.MaxDetections)
        {
            Name = name;
            GroundTruth = groundTruth;
            PrecisionRecall = stats.PrecisionRecall;
            CopyMaskCounts(stats);
        }

        /// <summary>The group: a model name, or "(all)" when not grouped.</summary>
        public string Name { get; }
        public string GroundTruth { get; }

        public override string ToString() => Name + ": " + base.ToString();
    }

    /// <summary>
    /// The AP of one category in one group (Measure-Detection -PerCategory writes one per category): the group's name,
    /// the category's id and name from the ground truth, its AP and AP50 (-1 without ground truth) and its ground-truth count.
    /// </summary>
    public sealed class CategoryResult
    {
        public CategoryResult(string model, string groundTruth, CategoryAp category)
        {
            if (category == null) throw new System.ArgumentNullException(nameof(category));
            Model = model;
            CategoryId = category.CategoryId;
            Name = category.Name;
            AP = category.AP;
            AP50 = category.AP50;
            GtCount = category.GtCount;
            GroundTruth = groundTruth;
        }

        /// <summary>The group, as <see cref="EvaluationResult.Name"/>: a model name, a fusion method, or "(all)" when not grouped.</summary>
        public string Model { get; }
        public int CategoryId { get; }
        /// <summary>The category's name in the ground truth.</summary>
        public string Name { get; }
        public double AP { get; }
        public double AP50 { get; }
        public int GtCount { get; }
        public string GroundTruth { get; }

        public override string ToString() => string.Format(System.Globalization.CultureInfo.InvariantCulture,
            "{0}: {1} {2}: AP {3:0.000} AP50 {4:0.000} ({5} GT)", Model, CategoryId, Name, AP, AP50, GtCount);
    }
}
