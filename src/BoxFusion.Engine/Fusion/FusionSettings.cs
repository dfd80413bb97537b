using System;
using System.Globalization;

namespace BoxFusion.Fusion
{
    public enum FusionMethod { WBF, NMS, SoftNMS, NMW }

    /// <summary>How WBF turns its members' scores into the fused score (ensemble-boxes' conf_type).</summary>
    public enum ConfidenceType { Avg, Max, BoxAndModelAvg, AbsentModelAwareAvg }

    public enum SoftNmsFunction { Linear, Gaussian }

    /// <summary>What decides whether two detections overlap enough to cluster (or suppress): their boxes' IoU, or their masks'.</summary>
    public enum ClusterBy { Box, Mask }

    /// <summary>Every knob of a fusion run. Defaults are ensemble-boxes' defaults.</summary>
    public sealed class FusionOptions
    {
        public FusionMethod Method { get; set; } = FusionMethod.WBF;
        public double IouThreshold { get; set; } = 0.55;
        public double SkipBoxThreshold { get; set; }
        public ConfidenceType ConfidenceType { get; set; } = ConfidenceType.Avg;
        public bool AllowOverflow { get; set; }
        public SoftNmsFunction SoftNmsFunction { get; set; } = SoftNmsFunction.Gaussian;
        public double Sigma { get; set; } = 0.5;
        public double ScoreThreshold { get; set; } = 0.001;
        public bool ClassAgnostic { get; set; }
        /// <summary>Keep at most this many fused boxes per image, best first; 0 keeps all.</summary>
        public int MaxDetectionsPerImage { get; set; }
        /// <summary>Keep only fused boxes that at least this many distinct models contributed to.</summary>
        public int MinVotes { get; set; } = 1;
        /// <summary>WBF and NMW masks: a pixel is in the fused mask when the weights of the members covering it reach this share of all members' weights.</summary>
        public double MaskThreshold { get; set; } = 0.5;
        /// <summary>Mask: detections that both carry masks are compared by mask IoU (others still by box IoU).</summary>
        public ClusterBy ClusterBy { get; set; } = ClusterBy.Box;
        /// <summary>Threads for fusing images in parallel; 0 or less means all cores.</summary>
        public int MaxDegreeOfParallelism { get; set; }

        public FusionOptions Clone() => (FusionOptions)MemberwiseClone();

        /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
        public void Validate()
        {
            Require(IouThreshold >= 0 && IouThreshold <= 1, "IouThreshold", IouThreshold, "between 0 and 1");
            Require(SkipBoxThreshold >= 0 && SkipBoxThreshold <= 1, "SkipBoxThreshold", SkipBoxThreshold, "between 0 and 1");
            Require(Sigma > 0 && !double.IsInfinity(Sigma), "Sigma", Sigma, "a positive number");
            Require(ScoreThreshold >= 0 && ScoreThreshold <= 1, "ScoreThreshold", ScoreThreshold, "between 0 and 1");
            Require(MaxDetectionsPerImage >= 0, "MaxDetectionsPerImage", MaxDetectionsPerImage, "0 (all) or more");
            Require(MinVotes >= 1, "MinVotes", MinVotes, "1 or more");
            Require(MaskThreshold > 0 && MaskThreshold <= 1, "MaskThreshold", MaskThreshold, "above 0 and at most 1");
        }

        private static void Require(bool ok, string name, double value, string what)
        {
            if (!ok)
            {
                throw new ArgumentException(string.Format(CultureInfo.InvariantCulture,
                    "{0} must be {1}; got {2}.", name, what, value), name);
            }
        }
    }
}
