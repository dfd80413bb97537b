using System.Collections.Concurrent;
using BoxFusion.Fusion;
using CsCheck;

namespace BoxFusion.Tests
{
    /// <summary>Properties of fusion over random ensembles (CsCheck): what must hold whatever the input.</summary>
    public class FusionPropertyTests
    {
        private const long Iterations = 300;

        /// <summary>A random ensemble: 1-4 models, 1-3 images, up to 25 boxes each, a few categories, boxes near each other so they cluster.</summary>
        private static readonly Gen<Detection[]> Ensembles =
            from models in Gen.Int[1, 4]
            from boxes in Gen.Select(Gen.Int[0, models - 1], Gen.Int[0, 2], Gen.Int[1, 3], Gen.Double[0, 1],
                    Gen.Double[0, 60], Gen.Double[0, 60], Gen.Double[1, 40], Gen.Double[1, 40])
                .Array[0, 60]
            select boxes
                .OrderBy(b => b.Item1)
                .Select(b => new Detection((long)b.Item2, b.Item3, Math.Round(b.Item4, 3), b.Item5, b.Item6, b.Item7, b.Item8, "m" + b.Item1))
                .ToArray();

        private static readonly Gen<FusionOptions> Options =
            from method in Gen.Enum<FusionMethod>()
            from iou in Gen.Double[0.05, 0.95]
            from skip in Gen.Int[0, 2].Select(i => new[] { 0.0, 0.1, 0.3 }[i])
            from conf in Gen.Enum<ConfidenceType>()
            from agnostic in Gen.Bool
            select new FusionOptions { Method = method, IouThreshold = iou, SkipBoxThreshold = skip, ConfidenceType = conf, ClassAgnostic = agnostic };

        private static (DetectionEnsemble Ensemble, List<(Detection Fused, Detection[] Members)> Output) Run(Detection[] input, FusionOptions options, double[] weights, int threads = 0)
        {
            var ensemble = new DetectionEnsemble();
            foreach (var d in input) ensemble.Add(d);
            options.MaxDegreeOfParallelism = threads;
            var context = new FusionContext(options, ensemble.Models, weights == null ? null : weights.Take(ensemble.Models.Count).ToArray());
            var members = new ConcurrentDictionary<Detection, int[]>();
            context.MemberSink = (d, m) => members[d] = m;
            var fused = FusionEngine.FuseAll(ensemble, context, null, null);
            var output = new List<(Detection, Detection[])>();
            for (int i = 0; i < fused.Length; i++)
            {
                var entries = ensemble.GetImage(i);
                foreach (var d in fused[i]) output.Add((d, members[d].Select(k => entries[k]).Select(e => new Detection(ensemble.ImageIds[i], e.CategoryId, e.Score, e.X, e.Y, e.Width, e.Height, ensemble.Models[e.Model])).ToArray()));
            }
            return (ensemble, output);
        }

        [Fact]
        public void FusedBoxesLieWithinTheHullOfTheirMembers()
        {
            Gen.Select(Ensembles, Options).Sample((input, options) =>
            {
                foreach (var (fused, members) in Run(input, options, null).Output)
                {
                    Assert.NotEmpty(members);
                    Assert.True(fused.X >= members.Min(m => m.X) - 1e-9 && fused.Y >= members.Min(m => m.Y) - 1e-9, $"{fused} starts outside its members");
                    Assert.True(fused.Right <= members.Max(m => m.Right) + 1e-9 && fused.Bottom <= members.Max(m => m.Bottom) + 1e-9, $"{fused} ends outside its members");
                }
            }, iter: Iterations);
        }

        [Fact]
        public void ScoresStayInUnitIntervalUnlessOverflowIsAllowedOrAvgHasUnequalWeights()
        {
            var weights = Gen.Double[0.1, 3].Array[4];
            Gen.Select(Ensembles, Options, weights, Gen.Bool).Sample((input, options, w, equal) =>
            {
                var used = equal ? null : w;
                bool mayOverflow = options.Method == FusionMethod.WBF && options.ConfidenceType == ConfidenceType.Avg && used != null;
                foreach (var (fused, _) in Run(input, options, used).Output)
                {
                    Assert.False(double.IsNaN(fused.Score));
                    Assert.True(fused.Score >= 0, fused.ToString());
                    if (!mayOverflow) Assert.True(fused.Score <= 1 + 1e-12, $"{options.Method} {options.ConfidenceType}: {fused}");
                }
            }, iter: Iterations);
        }

        [Fact]
        public void OutputDoesNotDependOnThreadCount()
        {
            Gen.Select(Ensembles, Options).Sample((input, options) =>
            {
                string Text(int threads) => string.Join("\n", Run(input, options.Clone(), null, threads).Output
                    .Select(o => FormattableString.Invariant($"{o.Fused.ImageId} {o.Fused.CategoryId} {o.Fused.Score:R} {o.Fused.X:R} {o.Fused.Y:R} {o.Fused.Width:R} {o.Fused.Height:R}")));
                Assert.Equal(Text(1), Text(3));
            }, iter: 100);
        }

        [Fact]
        public void NmsKeepsASubsetOfItsInput()
        {
            Gen.Select(Ensembles, Gen.Double[0.05, 0.95]).Sample((input, iou) =>
            {
                var inputs = new HashSet<string>(input.Select(Key));
                foreach (var (fused, members) in Run(input, new FusionOptions { Method = FusionMethod.NMS, IouThreshold = iou }, null).Output)
                {
                    Assert.Contains(Key(fused), inputs);
                    Assert.Equal(Key(fused), Key(members[0]));
                }
            }, iter: Iterations);
        }

        [Fact]
        public void WbfOfOneModelAtIouOneChangesNothingButOrder()
        {
            Ensembles.Sample(input =>
            {
                var single = input.Select(d => new Detection(d.ImageId, d.CategoryId, d.Score, d.X, d.Y, d.Width, d.Height, "only")).ToArray();
                var output = Run(single, new FusionOptions { IouThreshold = 1.0 }, null).Output.Select(o => Key(o.Fused)).OrderBy(k => k, StringComparer.Ordinal);
                Assert.Equal(single.Select(Key).OrderBy(k => k, StringComparer.Ordinal), output);
            }, iter: Iterations);
        }

        private static string Key(Detection d) =>
            FormattableString.Invariant($"{d.ImageId}|{d.CategoryId}|{d.Score:R}|{d.X:R}|{d.Y:R}|{d.Right:R}|{d.Bottom:R}");
    }
}
