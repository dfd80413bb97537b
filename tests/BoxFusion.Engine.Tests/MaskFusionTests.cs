using System.Text.Json;
using BoxFusion.Coco;
using BoxFusion.Fusion;

namespace BoxFusion.Tests
{
    /// <summary>Mask fusion against case-m's expected records (METHODS.md, Masks) and the rule itself on small masks.</summary>
    public class MaskFusionTests
    {
        public static IEnumerable<object[]> Runs()
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(FixtureRuns.DataPath("case-m", "manifest.json")));
            foreach (var r in doc.RootElement.GetProperty("runs").EnumerateArray()) yield return new object[] { r.GetProperty("name").GetString() };
        }

        /// <summary>Per image as sets: category, score 1e-6, box 1e-3 px, and mask IoU at least 0.999.</summary>
        internal static List<string> CompareWithMasks(List<Detection> expected, List<Detection> actual) =>
            FixtureRuns.Compare(expected, actual, (e, a) => a.Mask != null && Mask.Iou(a.Mask, e.Mask) >= 0.999);

        [Theory]
        [MemberData(nameof(Runs))]
        public void CaseMMatchesTheExpectedMasks(string run)
        {
            var (options, weights, expectedPath) = FixtureRuns.Run("case-m", run);
            var expected = FixtureRuns.Read(expectedPath);
            Assert.All(expected, e => Assert.NotNull(e.Mask));
            var actual = FixtureRuns.Fuse("case-m", options, weights);
            var problems = CompareWithMasks(expected, actual);
            Assert.True(problems.Count == 0, $"case-m/{run}: {problems.Count} problems:\n" + string.Join("\n", problems.Take(10)));
        }

        private static Mask Bits(int h, int w, params int[] on)
        {
            var bits = new byte[h * w];
            foreach (int p in on) bits[p] = 1;
            return Mask.FromBitmap(bits, h, w);
        }

        private static Detection[] FuseOne(FusionOptions options, params (double Score, Mask Mask, string Model)[] members)
        {
            var ensemble = new DetectionEnsemble();
            foreach (var m in members) ensemble.Add(new Detection(1L, 1, m.Score, 0, 0, 4, 4, m.Model) { Mask = m.Mask });
            var context = new FusionContext(options, ensemble.Models, null);
            return FusionEngine.FuseAll(ensemble, context, null, null)[0];
        }

        [Fact]
        public void WbfVotesPixelsByWeightedScore()
        {
            // Three equal boxes: pixel 0 in all three, pixel 1 in the 0.9 and 0.3 masks, pixel 2 only in the 0.3 one.
            var a = Bits(2, 2, 0, 1);
            var b = Bits(2, 2, 0);
            var c = Bits(2, 2, 0, 1, 2);
            var members = new[] { (0.9, a, "a"), (0.5, b, "b"), (0.3, c, "c") };
            // Total 1.7; pixel 1 has 1.2 >= 0.85, pixel 2 has 0.3 < 0.85.
            var fused = Assert.Single(FuseOne(new FusionOptions(), members));
            Assert.Equal(new byte[] { 1, 1, 0, 0 }, fused.Mask.ToBitmap());
            // Threshold 0.8: needs 1.36, so only pixel 0.
            Assert.Equal(new byte[] { 1, 0, 0, 0 }, FuseOne(new FusionOptions { MaskThreshold = 0.8 }, members)[0].Mask.ToBitmap());
            // Threshold 0.1: needs 0.17: pixels 0, 1 and 2.
            Assert.Equal(new byte[] { 1, 1, 1, 0 }, FuseOne(new FusionOptions { MaskThreshold = 0.1 }, members)[0].Mask.ToBitmap());
        }

        [Fact]
        public void NmsKeepsTheKeptRecordsMask()
        {
            var a = Bits(2, 2, 0, 1);
            var b = Bits(2, 2, 3);
            var fused = Assert.Single(FuseOne(new FusionOptions { Method = FusionMethod.NMS }, (0.4, a, "a"), (0.8, b, "b")));
            Assert.Same(b, fused.Mask);
        }

        [Fact]
        public void PartialMasksComeFromTheMaskedMembers()
        {
            var a = Bits(2, 2, 0, 1);
            var fused = Assert.Single(FuseOne(new FusionOptions(), (0.4, null, "a"), (0.8, a, "b")));
            Assert.Equal(a, fused.Mask);
            Assert.Null(Assert.Single(FuseOne(new FusionOptions(), (0.4, null, "a"), (0.8, null, "b"))).Mask);
        }

        [Fact]
        public void ZeroWeightsKeepTheFirstMask()
        {
            var a = Bits(2, 2, 0, 1);
            var b = Bits(2, 2, 3);
            var fused = Assert.Single(FuseOne(new FusionOptions(), (0.0, a, "a"), (0.0, b, "b")));
            Assert.Equal(a, fused.Mask);
        }

        [Fact]
        public void MasksFollowTheirEntriesWhenModelsComeOutOfOrder()
        {
            var ensemble = new DetectionEnsemble();
            var ma = Bits(2, 2, 0);
            var mb = Bits(2, 2, 3);
            ensemble.Add(new Detection(1L, 1, 0.9, 0, 0, 4, 4, "a") { Mask = ma });
            ensemble.Add(new Detection(2L, 1, 0.9, 0, 0, 4, 4, "b"));
            ensemble.Add(new Detection(1L, 1, 0.8, 0, 0, 4, 4, "b") { Mask = mb });
            ensemble.Add(new Detection(1L, 1, 0.7, 0, 0, 4, 4, "a"));
            // Image 1 in model order: a 0.9 (ma), a 0.7 (none), b 0.8 (mb).
            Assert.Equal(new[] { 0.9, 0.7, 0.8 }, ensemble.GetImage(0).Select(e => e.Score));
            Assert.Equal(new[] { ma, null, mb }, ensemble.GetMasks(0));
            Assert.Null(ensemble.GetMasks(1));
            Assert.Equal(2, ensemble.MaskCount);
        }

        [Fact]
        public void MasksOfAnotherSizeAreLeftOutBeforeFusing()
        {
            var ensemble = new DetectionEnsemble();
            ensemble.Add(new Detection(1L, 1, 0.9, 0, 0, 4, 4, "a") { Mask = Bits(2, 2, 0) });
            ensemble.Add(new Detection(1L, 1, 0.8, 0, 0, 4, 4, "b") { Mask = Bits(2, 3, 0) });
            // Polygons take the size of their image's run-length masks; alone on an image, they have no size.
            ensemble.Add(new Detection(1L, 1, 0.7, 0, 0, 4, 4, "c") { Mask = Mask.FromPolygons(new[] { new double[] { 0, 0, 0, 1, 1, 1 } }) });
            ensemble.Add(new Detection(2L, 1, 0.7, 0, 0, 4, 4, "c") { Mask = Mask.FromPolygons(new[] { new double[] { 0, 0, 0, 1, 1, 1 } }) });
            var check = ensemble.CheckMasks(null, null);
            Assert.Equal(2, check.Total);
            Assert.Contains(check.Rejected, r => r.Reason == MaskRejection.SizeMismatch && r.First.Contains("model 'b'"));
            Assert.Contains(check.Rejected, r => r.Reason == MaskRejection.PolygonWithoutImageSize && r.First.Contains("image 2"));
            Assert.Equal(2, ensemble.DetectionCount);
            Assert.Equal(2, ensemble.MaskCount);
            Assert.False(ensemble.GetMasks(0)[1].IsPolygon);
            Assert.Empty(ensemble.GetMasks(1));
            // With the image size known the polygon is rasterised, and the image size is the reference.
            var sized = new DetectionEnsemble();
            sized.Add(new Detection(1L, 1, 0.9, 0, 0, 4, 4, "a") { Mask = Bits(2, 2, 0) });
            sized.Add(new Detection(1L, 1, 0.7, 0, 0, 4, 4, "c") { Mask = Mask.FromPolygons(new[] { new double[] { 0, 0, 0, 2, 2, 2, 2, 0 } }) });
            var sizedCheck = sized.CheckMasks(new[] { 3.0 }, new[] { 3.0 });
            Assert.Equal(1, sizedCheck.Total);
            Assert.Equal(4, sized.GetMasks(0).Single().Area);
        }
    
        [Fact]
        public void ClusterByMaskKeepsApartObjectsWhoseBoxesOverlapButMasksDoNot()
        {
            // Two diagonal strokes in one 10x10 box: their boxes are equal, their pixels disjoint.
            var a = new byte[100];
            var b = new byte[100];
            for (int i = 0; i < 10; i++) { a[i * 10 + i] = 1; b[i * 10 + (9 - i)] = 1; }
            var ma = Mask.FromBitmap(a, 10, 10);
            var mb = Mask.FromBitmap(b, 10, 10);
            Detection[] Fuse(FusionMethod method, ClusterBy by, bool masks)
            {
                var ensemble = new DetectionEnsemble();
                ensemble.Add(new Detection(1L, 1, 0.9, 0, 0, 10, 10, "a") { Mask = masks ? ma : null });
                ensemble.Add(new Detection(1L, 1, 0.8, 0, 0, 10, 10, "b") { Mask = masks ? mb : null });
                var context = new FusionContext(new FusionOptions { Method = method, ClusterBy = by, IouThreshold = 0.5 }, ensemble.Models, null);
                return FusionEngine.FuseAll(ensemble, context, null, null)[0];
            }
            foreach (var method in new[] { FusionMethod.WBF, FusionMethod.NMW, FusionMethod.NMS })
            {
                Assert.Single(Fuse(method, ClusterBy.Box, true));
                var apart = Fuse(method, ClusterBy.Mask, true);
                Assert.Equal(2, apart.Length);
                Assert.Equal(new[] { ma, mb }, apart.Select(d => d.Mask));
                // Without masks, clustering by mask falls back to the boxes.
                Assert.Single(Fuse(method, ClusterBy.Mask, false));
            }
            // Soft-NMS: no decay for disjoint masks, so the second keeps its score.
            var soft = Fuse(FusionMethod.SoftNMS, ClusterBy.Mask, true);
            Assert.Equal(0.8, soft[1].Score);
        }

        [Fact]
        public void ClusterByMaskOnCaseMOnlyChangesMembership()
        {
            // Same boxes and scores where clusters agree: on case-m most clusters are the same either way.
            var (options, weights, _) = FixtureRuns.Run("case-m", "wbf");
            var byBox = FixtureRuns.Fuse("case-m", options, weights);
            options.ClusterBy = ClusterBy.Mask;
            var byMask = FixtureRuns.Fuse("case-m", options, weights);
            int same = byMask.Count(m => byBox.Any(b => b.ImageId.Equals(m.ImageId) && b.CategoryId == m.CategoryId
                && Math.Abs(b.Score - m.Score) < 1e-9 && Math.Abs(b.X - m.X) < 1e-9 && b.Mask.Equals(m.Mask)));
            Assert.True(same > byMask.Count * 0.8, same + " of " + byMask.Count);
            Assert.All(byMask, d => Assert.NotNull(d.Mask));
        }
}
}