using BoxFusion.Coco;
using BoxFusion.Evaluation;
using BoxFusion.Json;

namespace BoxFusion.Tests
{
    /// <summary>Detections read as columns of values score exactly as the same records read as Detection objects.</summary>
    public class DetectionColumnsTests
    {
        public static IEnumerable<object[]> Files()
        {
            yield return new object[] { "coco-fake100", "instances_val2014_100.json", "instances_val2014_fakebbox100_results.json" };
            // No bbox in these records: loadRes takes each box from its mask and each area from the mask's pixels.
            yield return new object[] { "coco-fake100", "instances_val2014_100.json", "instances_val2014_fakesegm100_results.json" };
            foreach (var fixture in new[] { "case-a", "case-b", "case-m" })
                foreach (var file in Directory.GetFiles(FixtureRuns.DataPath(fixture), "model*.json").OrderBy(f => f, StringComparer.Ordinal))
                    yield return new object[] { fixture, "gt.json", Path.GetFileName(file) };
            foreach (var file in new[] { "yolox.json", "cascade.json", "detr.json" })
                yield return new object[] { "sample", "gt.json", file };
        }

        private static List<Detection> Objects(string path)
        {
            using var reader = new CocoResultReader(path, "m");
            return reader.ReadAll().ToList();
        }

        private static DetectionColumns Columns(string[] paths)
        {
            var columns = new DetectionColumns();
            using var reading = new ParallelFileReading(paths, paths.Select(_ => "m").ToArray(), 0, detections: false);
            for (int i = 0; i < paths.Length; i++)
                foreach (var block in reading.ReadFile(i)) columns.Add(block, paths[i]);
            return columns;
        }

        private static void AssertSame(CocoStats expected, CocoStats actual)
        {
            Assert.Equal(expected.Stats, actual.Stats);   // exact, bit for bit
            Assert.Equal(expected.DetectionCount, actual.DetectionCount);
            Assert.Equal(expected.PerCategory.Select(c => (c.CategoryId, c.AP, c.AP50, c.GtCount)), actual.PerCategory.Select(c => (c.CategoryId, c.AP, c.AP50, c.GtCount)));
            Assert.Equal(expected.PrecisionRecall.Precision.ToArray().Cast<double>(), actual.PrecisionRecall.Precision.ToArray().Cast<double>());
            Assert.Equal(expected.PrecisionRecall.Recall.ToArray().Cast<double>(), actual.PrecisionRecall.Recall.ToArray().Cast<double>());
            Assert.Equal(expected.PrecisionRecall.Scores.ToArray().Cast<double>(), actual.PrecisionRecall.Scores.ToArray().Cast<double>());
        }

        [Theory]
        [MemberData(nameof(Files))]
        public void ColumnsScoreAsObjects(string fixture, string truth, string file)
        {
            var gt = CocoGroundTruth.Load(FixtureRuns.DataPath(fixture, truth));
            string path = FixtureRuns.DataPath(fixture, file);
            var options = new EvaluationOptions { PerCategory = true, KeepPrecisionRecall = true, MaxDetections = new[] { 1, 10, 100 } };
            var objects = Objects(path);
            var columns = Columns(new[] { path });
            Assert.Equal(objects.Count, columns.Count);
            AssertSame(CocoEvaluator.Evaluate(gt, objects, options), CocoEvaluator.Evaluate(gt, columns, options));
            // Detections added one by one take the same way.
            var added = new DetectionColumns();
            foreach (var d in objects) added.Add(d);
            AssertSame(CocoEvaluator.Evaluate(gt, objects, options), CocoEvaluator.Evaluate(gt, added, options));
        }

        [Fact]
        public void SeveralFilesAndBlocksJoinInOrder()
        {
            // Several files into one set of columns: more records than a block and than the columns' first capacity.
            var paths = new[] { "yolox.json", "cascade.json", "detr.json" }.Select(f => FixtureRuns.DataPath("sample", f)).ToArray();
            var objects = paths.SelectMany(Objects).ToList();
            Assert.True(objects.Count > 2 * ParallelFileReading.BlockSize);
            var gt = CocoGroundTruth.Load(FixtureRuns.DataPath("sample", "gt.json"));
            var options = new EvaluationOptions { PerCategory = true, KeepPrecisionRecall = true, MaxDetections = new[] { 1, 3, 7 } };
            AssertSame(CocoEvaluator.Evaluate(gt, objects, options), CocoEvaluator.Evaluate(gt, Columns(paths), options));
        }

        [Fact]
        public void RoomReservedPerFileKeepsWhatIsHeldAndHoldsTheFile()
        {
            // As Measure-Detection reads: room for each file made at its first block, after records of earlier files.
            var paths = new[] { "yolox.json", "cascade.json", "detr.json" }.Select(f => FixtureRuns.DataPath("sample", f)).ToArray();
            var objects = paths.SelectMany(Objects).ToList();
            var columns = new DetectionColumns();
            using (var reading = new ParallelFileReading(paths, paths.Select(_ => "m").ToArray(), 0, detections: false))
            {
                for (int i = 0; i < paths.Length; i++)
                {
                    bool first = true;
                    foreach (var block in reading.ReadFile(i))
                    {
                        if (first)
                        {
                            int held = columns.Count;
                            columns.ReserveForFile(block.Length);
                            Assert.Equal(held, columns.Count);
                            Assert.True(columns.ImageIds.Length >= held + new FileInfo(paths[i]).Length / 85);
                            first = false;
                        }
                        columns.Add(block, paths[i]);
                    }
                }
            }
            var gt = CocoGroundTruth.Load(FixtureRuns.DataPath("sample", "gt.json"));
            var options = new EvaluationOptions { PerCategory = true, KeepPrecisionRecall = true };
            AssertSame(CocoEvaluator.Evaluate(gt, objects, options), CocoEvaluator.Evaluate(gt, columns, options));
            // A length unknown (-1) or empty reserves nothing.
            int capacity = columns.ImageIds.Length;
            columns.ReserveForFile(-1);
            columns.ReserveForFile(0);
            Assert.Equal(capacity, columns.ImageIds.Length);
        }

        [Fact]
        public void AnUnknownImageIsReportedAsWithObjects()
        {
            var gt = CocoGroundTruth.Load(FixtureRuns.DataPath("case-b", "gt.json"));
            var objects = Objects(FixtureRuns.DataPath("case-b", "model1.json"));
            objects.Insert(7, new Detection("nope.jpg", 1, 0.5, 1, 1, 5, 5, "m"));
            var columns = new DetectionColumns();
            foreach (var d in objects) columns.Add(d);
            var expected = Assert.Throws<UnknownImageException>(() => CocoEvaluator.Evaluate(gt, objects));
            var actual = Assert.Throws<UnknownImageException>(() => CocoEvaluator.Evaluate(gt, columns));
            Assert.Equal(7, actual.DetectionIndex);
            Assert.Equal(expected.Message, actual.Message);
        }

        [Fact]
        public void SegmNeedsObjects()
        {
            var gt = CocoGroundTruth.Load(FixtureRuns.DataPath("coco-fake100", "instances_val2014_100.json"), masks: true);
            Assert.Throws<ArgumentException>(() => CocoEvaluator.Evaluate(gt, new DetectionColumns(), new EvaluationOptions { IouType = IouType.Segm }));
        }
    }
}
