using System.Collections.Generic;

namespace BoxFusion.Evaluation
{
    /// <summary>The COCO bbox statistics of one group of detections (a model, a fused result, or all), named.</summary>
    public sealed class EvaluationResult
    {
        public EvaluationResult(string name, string groundTruth, CocoStats stats)
        {
            Name = name;
            GroundTruth = groundTruth;
            Stats = (double[])stats.Stats.Clone();
            PerCategory = stats.PerCategory;
            ImageCount = stats.ImageCount;
            DetectionCount = stats.DetectionCount;
        }

        /// <summary>The group: a model name, or "(all)" when not grouped.</summary>
        public string Name { get; }
        public string GroundTruth { get; }
        /// <summary>The 12 statistics in pycocotools' order (COCOeval.stats).</summary>
        public double[] Stats { get; }
        public double AP => Stats[0];
        public double AP50 => Stats[1];
        public double AP75 => Stats[2];
        public double APSmall => Stats[3];
        public double APMedium => Stats[4];
        public double APLarge => Stats[5];
        public double AR1 => Stats[6];
        public double AR10 => Stats[7];
        public double AR100 => Stats[8];
        public double ARSmall => Stats[9];
        public double ARMedium => Stats[10];
        public double ARLarge => Stats[11];
        /// <summary>AP per category (with its name), when asked for.</summary>
        public IReadOnlyList<CategoryAp> PerCategory { get; }
        public int ImageCount { get; }
        public int DetectionCount { get; }

        public override string ToString() => Name + ": " + string.Join(", ", System.Array.ConvertAll(Stats, s => s.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)));
    }
}
