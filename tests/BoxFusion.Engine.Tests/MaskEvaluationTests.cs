using System.Text.Json;
using BoxFusion.Coco;
using BoxFusion.Evaluation;

namespace BoxFusion.Tests
{
    /// <summary>iouType 'segm' against pycocotools' statistics: coco-fake100 and every model and run of case-m.</summary>
    public class MaskEvaluationTests
    {
        private static void AssertStats(double[] expected, CocoStats actual, string what)
        {
            for (int i = 0; i < 12; i++)
                Assert.True(Math.Abs(expected[i] - actual.Stats[i]) <= 1e-12, $"{what} stat {i}: expected {expected[i]:R}, got {actual.Stats[i]:R}");
        }

        private static readonly EvaluationOptions Segm = new EvaluationOptions { IouType = IouType.Segm };

        [Fact]
        public void CocoFake100SegmMatchesPycocotools()
        {
            var expected = new[]
            {
                0.3195452758576433, 0.5622883972521636, 0.29892653412086784, 0.3873740315997838, 0.31018272403369485, 0.3269339071005138,
                0.2682297225711534, 0.41544868114906375, 0.4168394992198818, 0.4694498622754236, 0.37675922666197265, 0.3814715099715099,
            };
            var gt = CocoGroundTruth.Load(FixtureRuns.DataPath("coco-fake100", "instances_val2014_100.json"), masks: true);
            var dets = FixtureRuns.Read(FixtureRuns.DataPath("coco-fake100", "instances_val2014_fakesegm100_results.json"));
            var stats = CocoEvaluator.Evaluate(gt, dets, Segm);
            AssertStats(expected, stats, "coco-fake100 segm");
            Assert.Equal(IouType.Segm, stats.IouType);
            Assert.Equal(0, stats.DetectionsWithoutMask);
            Assert.Equal(0, stats.MaskSizeMismatches);
            // Evaluating again reuses the rasterised ground truth and gives the same numbers.
            Assert.Equal(stats.Stats, CocoEvaluator.Evaluate(gt, dets, Segm).Stats);
        }

        public static IEnumerable<object[]> CaseMFiles()
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(FixtureRuns.DataPath("case-m", "manifest.json")));
            foreach (var m in doc.RootElement.GetProperty("models").EnumerateArray()) yield return new object[] { m.GetProperty("file").GetString() };
            foreach (var r in doc.RootElement.GetProperty("runs").EnumerateArray()) yield return new object[] { r.GetProperty("expected").GetString() };
        }

        private static (double[] Segm, double[] Bbox) ExpectedStats(string file)
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(FixtureRuns.DataPath("case-m", "manifest.json")));
            var entry = doc.RootElement.GetProperty("models").EnumerateArray().Concat(doc.RootElement.GetProperty("runs").EnumerateArray())
                .Single(e => (e.TryGetProperty("file", out var f) ? f : e.GetProperty("expected")).GetString() == file);
            return (entry.GetProperty("segmStats").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
                    entry.GetProperty("bboxStats").EnumerateArray().Select(v => v.GetDouble()).ToArray());
        }

        [Theory]
        [MemberData(nameof(CaseMFiles))]
        public void CaseMMatchesPycocotools(string file)
        {
            var (segm, bbox) = ExpectedStats(file);
            var gt = CocoGroundTruth.Load(FixtureRuns.DataPath("case-m", "gt.json"), masks: true);
            var dets = FixtureRuns.Read(FixtureRuns.DataPath(new[] { "case-m" }.Concat(file.Split('/')).ToArray()));
            AssertStats(segm, CocoEvaluator.Evaluate(gt, dets, Segm), file + " segm");
            AssertStats(bbox, CocoEvaluator.Evaluate(gt, dets), file + " bbox");
        }

        [Fact]
        public void DetectionsWithoutMasksAreScoredWithTheirBoxAsAPolygon()
        {
            // pycocotools' loadRes gives a box-only result the polygon of its box; the same detections with that mask score the same.
            var gt = CocoGroundTruth.Load(FixtureRuns.DataPath("case-m", "gt.json"), masks: true);
            var images = gt.Images.ToDictionary(i => i.Id);
            var dets = FixtureRuns.Read(FixtureRuns.DataPath("case-m", "model2.json"));
            var boxesOnly = dets.Select(d => { var c = d.Clone(); c.Mask = null; return c; }).ToList();
            var boxMasks = dets.Select(d =>
            {
                var c = d.Clone();
                var image = images[d.ImageId];
                c.Mask = Mask.FromPolygons(new[] { new[] { d.X, d.Y, d.X, d.Bottom, d.Right, d.Bottom, d.Right, d.Y } }, (int)image.Height, (int)image.Width);
                return c;
            }).ToList();
            var a = CocoEvaluator.Evaluate(gt, boxesOnly, Segm);
            Assert.Equal(boxesOnly.Count, a.DetectionsWithoutMask);
            Assert.Equal(CocoEvaluator.Evaluate(gt, boxMasks, Segm).Stats, a.Stats);
            Assert.NotEqual(CocoEvaluator.Evaluate(gt, dets, Segm).Stats, a.Stats);
        }

        [Fact]
        public void MasksOfAnotherSizeMatchNothingAndAreCounted()
        {
            var gt = CocoGroundTruth.Load(FixtureRuns.DataPath("case-m", "gt.json"), masks: true);
            var dets = FixtureRuns.Read(FixtureRuns.DataPath("case-m", "model1.json"));
            var shifted = dets.Select(d => { var c = d.Clone(); c.Mask = Mask.FromBox(d.X, d.Y, d.Width, d.Height, d.Mask.Height + 1, d.Mask.Width); return c; }).ToList();
            var stats = CocoEvaluator.Evaluate(gt, shifted, Segm);
            Assert.Equal(dets.Count, stats.MaskSizeMismatches);
            Assert.Equal(0, stats.FirstMaskSizeMismatch);
            Assert.Equal(0, stats.AP);
        }

        [Fact]
        public void SegmNeedsGroundTruthMasks()
        {
            var gt = CocoGroundTruth.Load(FixtureRuns.DataPath("case-m", "gt.json"));
            var dets = FixtureRuns.Read(FixtureRuns.DataPath("case-m", "model1.json"));
            var e = Assert.Throws<GroundTruthMaskException>(() => CocoEvaluator.Evaluate(gt, dets, Segm));
            Assert.Equal(MaskProblem.Missing, e.Problem);
            Assert.Equal(0, e.AnnotationIndex);
            Assert.Contains("annotations[0]", e.Message);
        }
    }
}
