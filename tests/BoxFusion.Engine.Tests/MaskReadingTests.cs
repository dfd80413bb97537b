using System.Text.Json;
using BoxFusion.Coco;
using BoxFusion.Json;

namespace BoxFusion.Tests
{
    /// <summary>Segmentations in results files (both parser paths) and in ground truth.</summary>
    public class MaskReadingTests
    {
        private static (List<Detection> Detections, SkippedRecords Skipped) ReadText(string json, int bufferSize = 1 << 16)
        {
            using var reader = new CocoResultReader(new MemoryStream(Encoding.UTF8.GetBytes(json)), "mem", "m", false, bufferSize, 1 << 24);
            var list = reader.ReadAll().ToList();
            return (list, reader.Skipped);
        }

        [Theory]
        [InlineData(false, 1 << 20)]
        [InlineData(true, 1 << 20)]
        [InlineData(false, 64)]
        public void ReadsCompressedMasksOnBothPaths(bool slowPath, int bufferSize)
        {
            string path = FixtureRuns.DataPath("case-m", "model1.json");
            string text = File.ReadAllText(path);
            // An extra key sends every record to the Utf8JsonReader path.
            if (slowPath) text = text.Replace("{\"image_id\"", "{\"extra\": [1], \"image_id\"");
            var (read, skipped) = ReadText(text, bufferSize);
            Assert.Equal(0, skipped.Total);
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var records = doc.RootElement.EnumerateArray().ToList();
            Assert.Equal(records.Count, read.Count);
            for (int i = 0; i < records.Count; i++)
            {
                var s = records[i].GetProperty("segmentation");
                var expected = Mask.FromString(s.GetProperty("size")[0].GetInt32(), s.GetProperty("size")[1].GetInt32(), s.GetProperty("counts").GetString());
                Assert.Equal(expected, read[i].Mask);
                Assert.Equal(records[i].GetProperty("bbox")[2].GetDouble(), read[i].Width);
                Assert.False(read[i].BoxFromMask);
            }
            Assert.Contains(records, r => r.GetProperty("segmentation").GetProperty("counts").GetString().Contains('\\'));
        }

        [Fact]
        public void RecordsWithoutBboxTakeTheMasksBox()
        {
            var (read, skipped) = ReadText(File.ReadAllText(FixtureRuns.DataPath("coco-fake100", "instances_val2014_fakesegm100_results.json")));
            Assert.Equal(0, skipped.Total);
            Assert.Equal(734, read.Count);
            Assert.All(read, d =>
            {
                Assert.True(d.BoxFromMask);
                Assert.Equal(d.Mask.GetBoundingBox(), new[] { d.X, d.Y, d.Width, d.Height });
            });
        }

        [Fact]
        public void ReadsUncompressedRleAndPolygons()
        {
            string json = "[{\"image_id\": 1, \"category_id\": 2, \"score\": 0.5, \"segmentation\": {\"size\": [3, 3], \"counts\": [4, 1, 4]}}," +
                          " {\"image_id\": 1, \"category_id\": 2, \"score\": 0.5, \"bbox\": [0, 0, 4, 4], \"segmentation\": [[0, 0, 0, 4, 4, 4, 4, 0], [5, 5, 5, 6, 6, 6]]}," +
                          " {\"image_id\": 1, \"category_id\": 2, \"score\": 0.5, \"bbox\": [0, 0, 4, 4], \"segmentation\": null}]";
            var (read, skipped) = ReadText(json);
            Assert.Equal(0, skipped.Total);
            Assert.Equal(new uint[] { 4, 1, 4 }, read[0].Mask.GetCounts());
            Assert.Equal(new double[] { 1, 1, 1, 1 }, new[] { read[0].X, read[0].Y, read[0].Width, read[0].Height });
            Assert.True(read[1].Mask.IsPolygon);
            Assert.Equal(2, read[1].Mask.GetPolygons().Length);
            Assert.Equal(4, read[1].Width);
            Assert.Null(read[2].Mask);
        }

        [Theory]
        [InlineData("{\"size\": [3, 3], \"counts\": [4, 1]}", RecordProblem.MaskCountsMismatch)]
        [InlineData("{\"size\": [3, 3], \"counts\": \"41\"}", RecordProblem.MaskCountsMismatch)]
        [InlineData("{\"size\": [3, 3], \"counts\": \"4 14\"}", RecordProblem.MaskStringInvalid)]
        [InlineData("{\"size\": [3, 3], \"counts\": \"41a\"}", RecordProblem.MaskStringInvalid)]
        [InlineData("{\"size\": [3, 3], \"counts\": \"4\\u00e914\"}", RecordProblem.MaskStringInvalid)]
        [InlineData("[[1, 2, 3, 4, 5, 6, 7]]", RecordProblem.PolygonOddCoordinates)]
        [InlineData("[[1, 2, 3, 4]]", RecordProblem.PolygonTooFewPoints)]
        [InlineData("[]", RecordProblem.PolygonTooFewPoints)]
        [InlineData("{\"size\": [3], \"counts\": \"414\"}", RecordProblem.BadMask)]
        [InlineData("{\"size\": [0, 3], \"counts\": \"\"}", RecordProblem.BadMask)]
        [InlineData("{\"counts\": \"414\"}", RecordProblem.BadMask)]
        [InlineData("[1, 2, 3, 4, 5, 6]", RecordProblem.BadMask)]
        [InlineData("\"414\"", RecordProblem.BadMask)]
        public void BadSegmentationsSkipTheirRecordOnly(string segmentation, RecordProblem problem)
        {
            string good = "{\"image_id\": 1, \"category_id\": 2, \"score\": 0.5, \"bbox\": [1, 1, 1, 1], \"segmentation\": {\"size\": [3, 3], \"counts\": \"414\"}}";
            string json = "[" + good + ", {\"image_id\": 1, \"category_id\": 2, \"score\": 0.5, \"bbox\": [1, 1, 1, 1], \"segmentation\": " + segmentation + "}, " + good + "]";
            var (read, skipped) = ReadText(json);
            Assert.Equal(2, read.Count);
            var entry = Assert.Single(skipped.Entries);
            Assert.Equal(problem, entry.Problem);
            Assert.Equal(1, entry.FirstRecord);
            Assert.Contains("segmentation", entry.FirstDetail);
        }

        [Fact]
        public void ARecordNeedsABoxOrAMask()
        {
            var (read, skipped) = ReadText("[{\"image_id\": 1, \"category_id\": 2, \"score\": 0.5}]");
            Assert.Empty(read);
            Assert.Equal(RecordProblem.MissingField, Assert.Single(skipped.Entries).Problem);
        }

        [Fact]
        public void GroundTruthMasksAreReadOnlyWhenAsked()
        {
            string path = FixtureRuns.DataPath("case-m", "gt.json");
            var boxes = CocoGroundTruth.Load(path);
            Assert.False(boxes.HasMasks);
            Assert.All(boxes.Annotations, a => Assert.Null(a.Mask));
            var masks = CocoGroundTruth.Load(path, masks: true);
            Assert.True(masks.HasMasks);
            Assert.All(masks.Annotations, a => { Assert.NotNull(a.Mask); Assert.Null(a.MaskError); });
            Assert.All(masks.Annotations.Where(a => a.IsCrowd), a => Assert.False(a.Mask.IsPolygon));
            Assert.All(masks.Annotations.Where(a => !a.IsCrowd), a => Assert.True(a.Mask.IsPolygon));
        }

        [Fact]
        public void BadGroundTruthMasksWaitUntilMasksAreEvaluated()
        {
            string dir = Path.Combine(Path.GetTempPath(), "bf-gtmask-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try
            {
                string path = Path.Combine(dir, "gt.json");
                File.WriteAllText(path, "{\"images\": [{\"id\": 1, \"width\": 3, \"height\": 3}], \"categories\": [{\"id\": 1}], \"annotations\": [" +
                    "{\"id\": 1, \"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 1, 1], \"area\": 1, \"segmentation\": [[1, 2, 3]]}," +
                    "{\"id\": 2, \"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 1, 1], \"area\": 1, \"iscrowd\": 1, \"segmentation\": {\"size\": [3, 3], \"counts\": [4, 4]}}]}");
                var gt = CocoGroundTruth.Load(path, masks: true);
                Assert.Equal(MaskProblem.PolygonOddCoordinates, gt.Annotations[0].MaskError.Problem);
                Assert.Equal(MaskProblem.CountsMismatch, gt.Annotations[1].MaskError.Problem);
                Assert.Equal(2, CocoGroundTruth.Load(path).Annotations.Count);
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }
    }
}
