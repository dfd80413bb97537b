using BoxFusion.Json;

namespace BoxFusion.Tests
{
    /// <summary>
    /// CocoResultReader at the edges of JSON: deep nesting in keys it skips, numbers with leading zeros, keys given twice.
    /// Each case runs with the default buffer (the fast path sees whole records) and with tiny buffers (every refill,
    /// and the Utf8JsonReader path resumed mid-record).
    /// </summary>
    public class ResultReaderTests
    {
        private const string Good = "{\"image_id\": 1, \"category_id\": 2, \"bbox\": [10, 20, 30, 40], \"score\": 0.5}";

        private static readonly int[] BufferSizes = { 0, 16, 61 };

        private static CocoResultReader Reader(string json, int bufferSize)
        {
            var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
            return bufferSize == 0
                ? new CocoResultReader(stream, "mem.json", "m")
                : new CocoResultReader(stream, "mem.json", "m", false, bufferSize, CocoResultReader.MaxRecordBytes);
        }

        private static string Nested(int depth, string inner = "1") => new string('[', depth) + inner + new string(']', depth);

        [Theory]
        [InlineData(65)]
        [InlineData(200)]
        [InlineData(990)] // about as deep as Python's json reads
        public void DeepNestingInAKeyItDoesNotUseIsRead(int depth)
        {
            string deep = Nested(depth);
            string deepObject = string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
            string json = "[" + Good +
                ", {\"extra\": " + deep + ", \"image_id\": 2, \"category_id\": 2, \"bbox\": [1, 2, 3, 4], \"score\": 0.25}" +
                ", {\"image_id\": 3, \"category_id\": 2, \"bbox\": [1, 2, 3, 4], \"score\": 0.75, \"keypoints\": " + deepObject + "}" +
                ", " + Good + "]";
            foreach (int size in BufferSizes)
            {
                using var reader = Reader(json, size);
                var read = reader.ReadAll().ToArray();
                Assert.Equal(new object[] { 1L, 2L, 3L, 1L }, read.Select(d => d.ImageId).ToArray());
                Assert.Equal(0.75, read[2].Score);
                Assert.Equal(0, reader.Skipped.Total);
            }
        }

        [Fact]
        public void NestingBeyondTheLimitIsNamedNotCalledInvalidOrTruncated()
        {
            string json = "[" + Good + ", {\"image_id\": 2, \"extra\": " + Nested(5000) + ", \"category_id\": 2, \"bbox\": [1, 2, 3, 4], \"score\": 0.25}]";
            foreach (int size in BufferSizes)
            {
                using var reader = Reader(json, size);
                Assert.Single(reader.ReadAll().Take(1).ToArray());
                var ex = Assert.Throws<ResultFileException>(() => reader.ReadAll().ToArray());
                Assert.Equal("NestedTooDeep", ex.Problem.ToString());
                Assert.Equal(1, ex.RecordIndex);
                Assert.Contains("nested more than", ex.Message);
                Assert.DoesNotContain("truncated", ex.Message);
                Assert.StartsWith("'mem.json' (record 1, byte ", ex.Message);
            }
        }

        [Theory]
        [InlineData("01234")]
        [InlineData("-01234")]
        [InlineData("0123456789012345678901234")]  // more digits than the fast path keeps: the slow parser must not accept it either
        [InlineData("-0123456789012345678901234")]
        [InlineData("01.12345678901234567890123")]
        [InlineData("00.5")]
        [InlineData("01e5")]
        public void ANumberWithALeadingZeroFailsTheFile(string number)
        {
            foreach (string json in new[]
            {
                "[" + Good + ", {\"image_id\": 1, \"category_id\": 2, \"bbox\": [" + number + ", 20, 30, 40], \"score\": 0.5}]",
                "[" + Good + ", {\"image_id\": 1, \"category_id\": 2, \"bbox\": [10, 20, 30, 40], \"score\": " + number + "}]",
                "[" + Good + ", {\"image_id\": " + number + ", \"category_id\": 2, \"bbox\": [10, 20, 30, 40], \"score\": 0.5}]",
            })
            {
                foreach (int size in BufferSizes)
                {
                    using var reader = Reader(json, size);
                    var ex = Assert.Throws<ResultFileException>(() => reader.ReadAll().ToArray());
                    Assert.Equal(ResultFileProblem.NotJson, ex.Problem);
                    Assert.Equal(1, ex.RecordIndex);
                    Assert.Equal(1, reader.RecordCount);
                }
            }
        }

        [Theory]
        [InlineData("image_id", "7")]
        [InlineData("category_id", "3")]
        [InlineData("bbox", "[1, 2, 3, 4]")]
        [InlineData("score", "0.9")]
        public void ARecordWithAKeyTwiceIsSkippedNamingTheKey(string key, string value)
        {
            string twice = Good.Substring(0, Good.Length - 1) + ", \"" + key + "\": " + value + "}";
            string json = "[" + Good + ", " + twice + ", " + Good + "]";
            foreach (int size in BufferSizes)
            {
                using var reader = Reader(json, size);
                Assert.Equal(2, reader.ReadAll().Count());
                var entry = Assert.Single(reader.Skipped.Entries);
                Assert.Equal("DuplicateKey", entry.Problem.ToString());
                Assert.Equal(1, entry.FirstRecord);
                Assert.Contains("'" + key + "'", entry.FirstDetail);
                Assert.Contains("twice", entry.FirstDetail);
            }
        }

        [Fact]
        public void AKeyItDoesNotUseMayComeTwice()
        {
            string json = "[{\"area\": 1, \"image_id\": 1, \"area\": 2, \"category_id\": 2, \"bbox\": [10, 20, 30, 40], \"score\": 0.5}]";
            foreach (int size in BufferSizes)
            {
                using var reader = Reader(json, size);
                Assert.Single(reader.ReadAll());
                Assert.Equal(0, reader.Skipped.Total);
            }
        }
    }
}
