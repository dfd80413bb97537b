using BoxFusion.Fusion;

namespace BoxFusion.Tests
{
    /// <summary>Small ensembles with expectations worked out by hand from METHODS.md.</summary>
    public class FusionEngineTests
    {
        private static Detection Box(string model, double x1, double y1, double x2, double y2, double score, int category = 1, object image = null) =>
            new Detection(image ?? 1L, category, score, x1, y1, x2 - x1, y2 - y1, model);

        private static Detection[] Fuse(FusionOptions options, double[] weights, params Detection[] detections)
        {
            var ensemble = new DetectionEnsemble();
            foreach (var d in detections) ensemble.Add(d);
            var context = new FusionContext(options, ensemble.Models, weights);
            return FusionEngine.FuseAll(ensemble, context, null, null).SelectMany(x => x).ToArray();
        }

        private static void AssertBox(Detection d, double x1, double y1, double x2, double y2, double score)
        {
            Assert.Equal(x1, d.X, 9);
            Assert.Equal(y1, d.Y, 9);
            Assert.Equal(x2, d.Right, 9);
            Assert.Equal(y2, d.Bottom, 9);
            Assert.Equal(score, d.Score, 9);
        }

        // Two models, IoU 80/120 = 0.667 > 0.55: one cluster.
        private static readonly Detection A = Box("a", 0, 0, 10, 10, 0.8);
        private static readonly Detection B = Box("b", 2, 0, 12, 10, 0.4);

        [Fact]
        public void WbfAveragesByScore()
        {
            var f = Fuse(new FusionOptions(), null, A, B).Single();
            // x1 = (0.8*0 + 0.4*2)/1.2, x2 = (0.8*10 + 0.4*12)/1.2; score = mean 0.6 * min(2,2)/2
            AssertBox(f, 0.8 / 1.2, 0, 12.8 / 1.2, 10, 0.6);
            Assert.Equal(2, f.MergedCount);
            Assert.Equal(new[] { "a", "b" }, f.SourceModels);
            Assert.Equal("WBF", f.Model);
        }

        [Fact]
        public void WbfWeightsScoresAndRescalesByWeightSum()
        {
            var f = Fuse(new FusionOptions(), new[] { 2.0, 1.0 }, A, B).Single();
            // weighted scores 1.6 and 0.4: x1 = 0.8/2, x2 = 20.8/2; score = (2.0/2) * 2 / 3
            AssertBox(f, 0.4, 0, 10.4, 10, 2.0 / 3);
            var max = Fuse(new FusionOptions { ConfidenceType = ConfidenceType.Max }, new[] { 2.0, 1.0 }, A, B).Single();
            Assert.Equal(1.6 / 2, max.Score, 12);
        }

        [Fact]
        public void WbfClusterWithTwoBoxesFromOneModel()
        {
            var a1 = Box("a", 0, 0, 10, 10, 0.9);
            var a2 = Box("a", 1, 0, 11, 10, 0.6); // IoU 90/110 with a1
            var far = Box("b", 50, 50, 60, 60, 0.5);
            Detection Fused(ConfidenceType type) =>
                Fuse(new FusionOptions { ConfidenceType = type }, null, a1, a2, far).Single(d => d.MergedCount == 2);
            // running score = (0.9+0.6)/2 = 0.75 with n = 2, K = 2, W = 2
            Assert.Equal(0.75 * 2 / 2, Fused(ConfidenceType.Avg).Score, 12);
            Assert.Equal(0.75 * 2 / 2 * 1 / 2, Fused(ConfidenceType.BoxAndModelAvg).Score, 12);
            Assert.Equal(0.75 * 2 / (2 + 1), Fused(ConfidenceType.AbsentModelAwareAvg).Score, 12);
            Assert.Equal(new[] { "a" }, Fused(ConfidenceType.Avg).SourceModels);
            AssertBox(Fused(ConfidenceType.Avg), 0.6 / 1.5, 0, 15.6 / 1.5, 10, 0.75);
        }

        [Fact]
        public void ZeroWeightModelContributesNothingAndNothingIsNaN()
        {
            var f = Fuse(new FusionOptions(), new[] { 1.0, 0.0 }, A, B);
            var only = Assert.Single(f);
            AssertBox(only, 0, 0, 10, 10, 0.8 * 1 / 1.0);
            Assert.Equal(new[] { "a" }, only.SourceModels);
            foreach (var method in new[] { FusionMethod.NMS, FusionMethod.SoftNMS, FusionMethod.NMW })
            {
                var r = Fuse(new FusionOptions { Method = method }, new[] { 1.0, 0.0 }, A, B);
                Assert.All(r, d => Assert.False(double.IsNaN(d.X) || double.IsNaN(d.Score)));
                Assert.All(r, d => Assert.Equal(new[] { "a" }, d.SourceModels));
            }
        }

        [Theory]
        [InlineData(-1.0)]
        [InlineData(double.NaN)]
        [InlineData(double.PositiveInfinity)]
        public void BadWeightsAreRejected(double bad)
        {
            var e = Assert.Throws<ArgumentException>(() => Fuse(new FusionOptions(), new[] { 1.0, bad }, A, B));
            Assert.Contains("'b'", e.Message);
        }

        [Fact]
        public void WeightListMustMatchModels()
        {
            var e = Assert.Throws<ArgumentException>(() => Fuse(new FusionOptions(), new[] { 1.0 }, A, B));
            Assert.Contains("1 weights were given for 2 models", e.Message);
        }

        [Fact]
        public void AllZeroScoresKeepTheBestMembersBox()
        {
            var z1 = Box("a", 0, 0, 10, 10, 0);
            var z2 = Box("b", 1, 0, 11, 10, 0);
            var wbf = Assert.Single(Fuse(new FusionOptions(), null, z1, z2));
            AssertBox(wbf, 0, 0, 10, 10, 0);
            var nmw = Assert.Single(Fuse(new FusionOptions { Method = FusionMethod.NMW }, null, z1, z2));
            AssertBox(nmw, 0, 0, 10, 10, 0);
        }

        [Fact]
        public void NmsWithNoUsableBoxYieldsNothing()
        {
            var flat = Box("a", 0, 0, 10, 0, 0.9); // zero area
            Assert.Empty(Fuse(new FusionOptions { Method = FusionMethod.NMS }, null, flat));
        }

        [Fact]
        public void NmsKeepsTheBestAndScalesScoresByWeightShare()
        {
            var r = Fuse(new FusionOptions { Method = FusionMethod.NMS, IouThreshold = 0.5 }, new[] { 1.0, 3.0 }, A, B);
            var kept = Assert.Single(r);
            // weighted scores 0.8*1/4 = 0.2 and 0.4*3/4 = 0.3: B wins and suppresses A
            AssertBox(kept, 2, 0, 12, 10, 0.3);
            Assert.Equal(2, kept.MergedCount);
        }

        [Fact]
        public void SoftNmsReportsDecayedScores()
        {
            var r = Fuse(new FusionOptions { Method = FusionMethod.SoftNMS, Sigma = 0.5 }, null, A, B);
            Assert.Equal(2, r.Length);
            double iou = 80.0 / 120;
            Assert.Equal(0.8, r[0].Score, 12);
            Assert.Equal(0.4 * Math.Exp(-(iou * iou) / 0.5), r[1].Score, 12);
            var linear = Fuse(new FusionOptions { Method = FusionMethod.SoftNMS, SoftNmsFunction = SoftNmsFunction.Linear, IouThreshold = 0.5 }, null, A, B);
            Assert.Equal(0.4 * (1 - iou), linear[1].Score, 12);
        }

        [Fact]
        public void NmwWeightsByScoreTimesIouWithTheBestBox()
        {
            var f = Assert.Single(Fuse(new FusionOptions { Method = FusionMethod.NMW }, null, A, B));
            double w2 = 0.4 * (80.0 / 120); // the best box has weight 0.8 * 1
            AssertBox(f, (w2 * 2) / (0.8 + w2), 0, (0.8 * 10 + w2 * 12) / (0.8 + w2), 10, 0.8);
        }

        [Fact]
        public void ClassAgnosticFusionTakesTheCategoryWithTheHighestScoreSum()
        {
            var c1 = Box("a", 0, 0, 10, 10, 0.8, category: 1);
            var c2 = Box("b", 2, 0, 12, 10, 0.4, category: 2);
            var c3 = Box("c", 1, 0, 11, 10, 0.5, category: 2);
            Assert.Equal(2, Fuse(new FusionOptions(), null, c1, c2, c3).Length);
            var f = Assert.Single(Fuse(new FusionOptions { ClassAgnostic = true }, null, c1, c2, c3));
            Assert.Equal(2, f.CategoryId); // 0.4 + 0.5 > 0.8
            Assert.Equal(3, f.MergedCount);
        }

        [Fact]
        public void MaxDetectionsPerImageKeepsTheBest()
        {
            var boxes = Enumerable.Range(0, 5).Select(i => Box("a", i * 20, 0, i * 20 + 10, 10, 0.1 + i * 0.1)).ToArray();
            var r = Fuse(new FusionOptions { MaxDetectionsPerImage = 2 }, null, boxes);
            Assert.Equal(new[] { 0.5, 0.4 }, r.Select(d => Math.Round(d.Score, 9)));
        }

        [Fact]
        public void MinVotesKeepsBoxesThatEnoughModelsAgreeOn()
        {
            var a1 = Box("a", 0, 0, 10, 10, 0.9);
            var a2 = Box("a", 1, 0, 11, 10, 0.6);
            var b1 = Box("b", 50, 50, 60, 60, 0.5);
            var a3 = Box("a", 50, 50, 60, 61, 0.5);
            var r = Fuse(new FusionOptions { MinVotes = 2 }, null, a1, a2, b1, a3);
            var kept = Assert.Single(r);
            Assert.Equal(new[] { "a", "b" }, kept.SourceModels);
        }

        [Fact]
        public void OutputIsByScoreThenInputOrderAndImagesInFirstSeenOrder()
        {
            var x = Box("a", 0, 0, 10, 10, 0.5, image: 7L);
            var y = Box("a", 50, 0, 60, 10, 0.5, image: 3L);
            var z = Box("a", 100, 0, 110, 10, 0.5, image: 7L);
            var r = Fuse(new FusionOptions(), null, x, y, z);
            Assert.Equal(new object[] { 7L, 7L, 3L }, r.Select(d => d.ImageId));
            Assert.Equal(0, r[0].X);
            Assert.Equal(100, r[1].X);
        }

        [Fact]
        public void InputIsNeverChanged()
        {
            var input = FixtureRuns.ModelFiles("case-b").SelectMany(FixtureRuns.Read).ToList();
            var before = input.Select(d => (d.ImageId, d.CategoryId, d.Score, d.X, d.Y, d.Width, d.Height, d.Model)).ToList();
            foreach (var method in Enum.GetValues<FusionMethod>())
            {
                Fuse(new FusionOptions { Method = method }, new[] { 1.0, 1.5, 2.0, 0.0 }, input.ToArray());
            }
            Assert.Equal(before, input.Select(d => (d.ImageId, d.CategoryId, d.Score, d.X, d.Y, d.Width, d.Height, d.Model)).ToList());
        }

        [Theory]
        [InlineData(FusionMethod.WBF)]
        [InlineData(FusionMethod.NMS)]
        [InlineData(FusionMethod.SoftNMS)]
        [InlineData(FusionMethod.NMW)]
        public void ResultDoesNotDependOnThreadCount(FusionMethod method)
        {
            var input = FixtureRuns.ModelFiles("case-a").SelectMany(FixtureRuns.Read).ToArray();
            string Run(int threads) => string.Join("\n", Fuse(new FusionOptions { Method = method, MaxDegreeOfParallelism = threads }, null, input)
                .Select(d => FormattableString.Invariant($"{d.ImageId} {d.CategoryId} {d.Score:R} {d.X:R} {d.Y:R} {d.Width:R} {d.Height:R} {d.MergedCount}")));
            Assert.Equal(Run(1), Run(Environment.ProcessorCount + 2));
        }
    }
}
