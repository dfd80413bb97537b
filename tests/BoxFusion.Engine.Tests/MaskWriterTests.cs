using System.Text.Json;
using BoxFusion.Json;

namespace BoxFusion.Tests
{
    /// <summary>Masks written as the COCO segm results format read back bit-identical.</summary>
    public class MaskWriterTests
    {
        private static byte[] Write(params Detection[] detections)
        {
            using var stream = new MemoryStream();
            using (var writer = new CocoResultWriter(stream))
            {
                foreach (var d in detections) writer.Write(d);
                writer.Complete();
            }
            return stream.ToArray();
        }

        [Theory]
        [InlineData("case-m", "model1.json")]
        [InlineData("coco-fake100", "instances_val2014_fakesegm100_results.json")]
        public void WrittenMasksKeepTheirCompressedStrings(string fixture, string file)
        {
            string path = FixtureRuns.DataPath(fixture, file);
            var read = FixtureRuns.Read(path);
            var bytes = Write(read.ToArray());
            using var original = JsonDocument.Parse(File.ReadAllBytes(path));
            using var written = JsonDocument.Parse(bytes);
            var a = original.RootElement.EnumerateArray().ToList();
            var b = written.RootElement.EnumerateArray().ToList();
            Assert.Equal(a.Count, b.Count);
            for (int i = 0; i < a.Count; i++)
            {
                var sa = a[i].GetProperty("segmentation");
                var sb = b[i].GetProperty("segmentation");
                Assert.Equal(sa.GetProperty("counts").GetString(), sb.GetProperty("counts").GetString());
                Assert.Equal(sa.GetProperty("size").EnumerateArray().Select(v => v.GetInt32()), sb.GetProperty("size").EnumerateArray().Select(v => v.GetInt32()));
                Assert.True(b[i].TryGetProperty("bbox", out _));
            }
            using var reader = new CocoResultReader(new MemoryStream(bytes), "mem", "m");
            var back = reader.ReadAll().ToList();
            Assert.Equal(read.Select(d => d.Mask), back.Select(d => d.Mask));
            Assert.Equal(0, reader.Skipped.Total);
        }

        [Fact]
        public void PolygonsAndBoxOnlyRecordsAreWrittenAsGiven()
        {
            var polygon = new Detection(1L, 2, 0.5, 1, 1, 4, 4, "m") { Mask = Mask.FromPolygons(new[] { new[] { 1.5, 1, 1, 5, 5, 5.25 } }) };
            var box = new Detection(1L, 2, 0.5, 1, 1, 4, 4, "m");
            var bytes = Write(polygon, box);
            using var reader = new CocoResultReader(new MemoryStream(bytes), "mem", "m");
            var back = reader.ReadAll().ToList();
            Assert.Equal(polygon.Mask, back[0].Mask);
            Assert.Null(back[1].Mask);
            Assert.DoesNotContain("segmentation", System.Text.Encoding.UTF8.GetString(bytes).Split('\n')[2]);
        }
    }
}
