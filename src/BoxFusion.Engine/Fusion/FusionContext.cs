using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;

namespace BoxFusion.Fusion
{
    /// <summary>What every image of one fusion run shares: options, models and their weights.</summary>
    public sealed class FusionContext
    {
        private readonly ConcurrentDictionary<ulong, DetectionOrigin> origins = new ConcurrentDictionary<ulong, DetectionOrigin>();
        /// <summary>Origins of sets of up to 12 models, by bit mask, without locks.</summary>
        private readonly DetectionOrigin[] smallSetOrigins = new DetectionOrigin[1 << 12];

        /// <param name="weights">One weight per model, in model order; null means all 1.</param>
        public FusionContext(FusionOptions options, IReadOnlyList<string> models, double[] weights)
        {
            Options = options ?? throw new ArgumentNullException(nameof(options));
            options.Validate();
            Models = models.ToArray();
            int k = Models.Length;
            if (weights != null && weights.Length != k)
            {
                throw new ArgumentException(string.Format(CultureInfo.InvariantCulture,
                    "{0} weights were given for {1} models ({2}); give one weight per model, in the order the models first appear.",
                    weights.Length, k, string.Join(", ", Models)), nameof(weights));
            }
            RawWeights = weights != null ? (double[])weights.Clone() : Enumerable.Repeat(1.0, k).ToArray();
            for (int i = 0; i < k; i++)
            {
                double w = RawWeights[i];
                // The bound keeps fusion's sums (score x weight x coordinate over a cluster) finite; see DetectionRules.
                if (!(w >= 0 && w <= MaxWeight))
                {
                    throw new ArgumentException(string.Format(CultureInfo.InvariantCulture,
                        "The weight of model '{0}' is {1}; weights must be finite numbers from 0 to 1e9 (only their ratios matter).", Models[i], w), nameof(weights));
                }
            }
            WeightSum = RawWeights.Sum();
            WeightMax = k == 0 ? 1 : RawWeights.Max();
            if (k > 0 && WeightSum == 0)
            {
                throw new ArgumentException("Every model has weight 0; at least one weight must be positive.", nameof(weights));
            }
            WeightsGiven = weights != null;
            Weights = new double[k];
            for (int i = 0; i < k; i++)
            {
                switch (options.Method)
                {
                    case FusionMethod.NMW: Weights[i] = RawWeights[i] / WeightMax; break;
                    case FusionMethod.NMS:
                    case FusionMethod.SoftNMS: Weights[i] = WeightsGiven ? RawWeights[i] / WeightSum : 1; break;
                    default: Weights[i] = RawWeights[i]; break;
                }
            }
            ActiveModelCount = RawWeights.Count(w => w > 0);
            MethodName = options.Method.ToString();
        }

        /// <summary>The largest weight a model may have: 1e9.</summary>
        public const double MaxWeight = 1e9;

        public FusionOptions Options { get; }
        public string[] Models { get; }
        public int ModelCount => Models.Length;
        /// <summary>Models with a positive weight: the electorate for voting.</summary>
        public int ActiveModelCount { get; }
        public double[] RawWeights { get; }
        /// <summary>The weights each method multiplies scores by (normalised as ensemble-boxes does per method).</summary>
        internal double[] Weights { get; }
        public bool WeightsGiven { get; }
        public double WeightSum { get; }
        public double WeightMax { get; }
        public string MethodName { get; }

        /// <summary>For tests: receives each fused detection with the input positions (in the image's entries) of its members.</summary>
        internal Action<Detection, int[]> MemberSink { get; set; }

        /// <summary>
        /// One shared origin (this method, the set of models in the bit mask) per set of models, so fused detections
        /// don't each carry their own copy of either.
        /// </summary>
        internal DetectionOrigin Origin(ulong mask)
        {
            if (mask < (ulong)smallSetOrigins.Length)
            {
                var cached = Volatile.Read(ref smallSetOrigins[mask]);
                if (cached != null) return cached;
                var made = MakeOrigin(mask);
                return Interlocked.CompareExchange(ref smallSetOrigins[mask], made, null) ?? made;
            }
            return origins.GetOrAdd(mask, MakeOrigin);
        }

        /// <summary>The origin of a set of more than 64 models, which a bit mask cannot name: made for one detection.</summary>
        internal DetectionOrigin Origin(List<string> names) => new DetectionOrigin(MethodName, new ValueList<string>(names));

        private DetectionOrigin MakeOrigin(ulong m)
        {
            var names = new List<string>();
            for (int i = 0; i < Models.Length && i < 64; i++)
            {
                if ((m & (1UL << i)) != 0) names.Add(Models[i]);
            }
            return Origin(names);
        }
    }
}
