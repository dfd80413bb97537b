using BoxFusion.Fusion;
using CsCheck;

namespace BoxFusion.Tests
{
    /// <summary>
    /// The order of fused boxes (score, highest first, then input order), checked against a plain sort. The engine ranks
    /// by coarse keys first (ScoreRadix), so scores that agree in their first six or so digits, exact ties and 0 against -0
    /// are where it could go wrong; the generator makes many of them.
    /// </summary>
    public class FusionRankingTests
    {
        /// <summary>Scores close to each other: a few bases, each nudged by a few ulps or by 1e-9, or exactly 0 or -0.</summary>
        private static readonly Gen<double> Scores =
            from kind in Gen.Int[0, 5]
            from baseScore in Gen.Int[0, 3].Select(i => new[] { 0.5, 0.25, 0.7, 1e-300 }[i])
            from nudge in Gen.Int[-3, 3]
            select kind switch
            {
                0 => 0.0,
                1 => -0.0,
                2 => baseScore * (1 + nudge * 1e-9),
                _ => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(baseScore) + nudge),
            };

        [Fact]
        public void FusedBoxesAreRankedByExactScoreThenInputOrder()
        {
            // NMS with an IoU threshold of 1 suppresses nothing, and without weights keeps each score as it is.
            var boxes = Gen.Select(Scores, Gen.Int[1, 3], Gen.Int[0, 1]).Array[1, 80];
            boxes.Sample(input =>
            {
                var ensemble = new DetectionEnsemble();
                for (int i = 0; i < input.Length; i++)
                {
                    var (score, category, model) = input[i];
                    ensemble.Add(new Detection(1L, category, score, i * 20, 0, 10, 10, "m" + model));
                }
                var options = new FusionOptions { Method = FusionMethod.NMS, IouThreshold = 1 };
                var fused = FusionEngine.FuseAll(ensemble, new FusionContext(options, ensemble.Models, null), null, null)[0];
                var entries = ensemble.GetImage(0);
                var expected = Enumerable.Range(0, entries.Count)
                    .OrderByDescending(i => entries[i].Score).ThenBy(i => i)
                    .Select(i => entries[i].X).ToArray();
                Assert.Equal(expected, fused.Select(d => d.X).ToArray());
            }, iter: 500);
        }

        [Fact]
        public void ScoresThatShareACoarseKeyKeepTheirExactOrder()
        {
            var ensemble = new DetectionEnsemble();
            double[] scores = { 0.5, 0.5 + 1e-12, 0.5 - 1e-12, 0.5 + 1e-12, 0.0, -0.0, 0.5 };
            // Categories in the reverse order of the input, so fused boxes are made (one per category) in an order the ranking must undo.
            for (int i = 0; i < scores.Length; i++) ensemble.Add(new Detection(1L, scores.Length - i, scores[i], i * 20, 0, 10, 10, "m"));
            Assert.Equal(ScoreRadix.DescendingKey(0.5), ScoreRadix.DescendingKey(0.5 + 1e-12));
            var options = new FusionOptions { Method = FusionMethod.NMS, IouThreshold = 1 };
            var fused = FusionEngine.FuseAll(ensemble, new FusionContext(options, ensemble.Models, null), null, null)[0];
            Assert.Equal(new double[] { 20, 60, 0, 120, 40, 80, 100 }, fused.Select(d => d.X).ToArray());
        }
    }
}
