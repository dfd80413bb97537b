using BoxFusion.Json;

namespace BoxFusion.Tests
{
    /// <summary>
    /// A large file read as parts at once gives exactly what reading it from start to end gives: the records in order,
    /// the skipped records and scores above 1 with their record numbers, the fault and its message, even where a
    /// guessed cut falls inside a string or the file is not a list at all.
    /// </summary>
    public class SplitFileReadingTests : IDisposable
    {
        private readonly string folder = Path.Combine(Path.GetTempPath(), "bf-split-" + Guid.NewGuid().ToString("N"));

        public SplitFileReadingTests() => Directory.CreateDirectory(folder);

        public void Dispose() => Directory.Delete(folder, recursive: true);

        private sealed class Outcome
        {
            public List<string> Records = new List<string>();
            public string Counts, Error;
            public int Parts;
        }

        /// <summary>Record <paramref name="i"/>: its number in the box, so a loss, a repeat or a swap shows.</summary>
        private static string Record(int i, string imageId = null, string score = null) => string.Format(CultureInfo.InvariantCulture,
            "{{\"image_id\": {0}, \"category_id\": {1}, \"bbox\": [{2}, 5.5, 10.25, 20], \"score\": {3}}}",
            imageId ?? (i / 40).ToString(CultureInfo.InvariantCulture), 1 + i % 7, i, score ?? (0.25 + (i % 500) / 1000.0).ToString("R", CultureInfo.InvariantCulture));

        private string Write(IEnumerable<string> records, string separator = ",\n", string open = "[\n", string close = "\n]\n")
        {
            string path = Path.Combine(folder, Guid.NewGuid().ToString("N") + ".json");
            System.IO.File.WriteAllText(path, open + string.Join(separator, records) + close);
            return path;
        }

        private static Outcome ReadWhole(string path, bool objects)
        {
            var outcome = new Outcome { Parts = 1 };
            using (var reader = new CocoResultReader(path, "m"))
            {
                try
                {
                    if (objects) { while (reader.TryRead(out Detection d)) outcome.Records.Add(Describe(d)); }
                    else { while (reader.TryReadValues(out RecordValues v)) outcome.Records.Add(Describe(v)); }
                }
                catch (ResultFileException e)
                {
                    outcome.Error = e.Problem + ": " + e.Message;
                }
                outcome.Counts = Counts(reader);
            }
            return outcome;
        }

        private static Outcome ReadInParts(string path, int threads, bool objects, CancellationToken cancel = default)
        {
            var outcome = new Outcome();
            using (var reading = new ParallelFileReading(new[] { path }, new[] { "m" }, threads, objects, 1L << 20, splitLargeFiles: true, minPartBytes: 1024, cancel: cancel))
            {
                outcome.Parts = reading.PartCount(0);
                try
                {
                    foreach (var block in reading.ReadFile(0))
                    {
                        for (int i = 0; i < block.Count; i++)
                        {
                            outcome.Records.Add(objects ? Describe(block.Detections[i]) : Describe(new RecordValues
                            {
                                ImageId = block.ImageIds[i], CategoryId = block.CategoryIds[i], Score = block.Scores[i],
                                X = block.X[i], Y = block.Y[i], Width = block.Widths[i], Height = block.Heights[i],
                            }));
                        }
                    }
                }
                catch (ResultFileException e)
                {
                    outcome.Error = e.Problem + ": " + e.Message;
                }
                outcome.Counts = Counts(reading.Reader(0));
            }
            return outcome;
        }

        private static string Counts(CocoResultReader reader) => string.Format(CultureInfo.InvariantCulture, "records {0}; above 1: {1} (first {2}); skipped {3}: {4}",
            reader.RecordCount, reader.ScoresAboveOne, reader.FirstScoreAboveOne, reader.Skipped.Total, string.Join(" | ", reader.Skipped.Messages("f").Select(m => m.Message)));

        private static string Describe(Detection d) => Describe(new RecordValues
        {
            ImageId = d.ImageId, CategoryId = d.CategoryId, Score = d.Score, X = d.X, Y = d.Y, Width = d.Width, Height = d.Height,
        });

        private static string Describe(RecordValues v) => string.Format(CultureInfo.InvariantCulture, "{0} {1} {2:R} {3:R} {4:R} {5:R} {6:R}",
            v.ImageId, v.CategoryId, v.Score, v.X, v.Y, v.Width, v.Height);

        private static void AssertSame(Outcome whole, Outcome parts)
        {
            Assert.Equal(whole.Error, parts.Error);
            Assert.Equal(whole.Counts, parts.Counts);
            Assert.Equal(whole.Records.Count, parts.Records.Count);
            Assert.Equal(whole.Records, parts.Records);
        }

        private void Check(string path, int threads, int expectedParts = -1)
        {
            foreach (bool objects in new[] { false, true })
            {
                var parts = ReadInParts(path, threads, objects);
                Assert.Equal(expectedParts < 0 ? threads : expectedParts, parts.Parts);
                AssertSame(ReadWhole(path, objects), parts);
            }
        }

        [Theory]
        [InlineData(2, ",\n", "[\n", "\n]\n")]
        [InlineData(3, ",", "[", "]")]
        [InlineData(4, ",\n    ", "[\n    ", "\n]")]
        [InlineData(5, " ,\r\n\t", "\uFEFF[ ", " ]\n\n")]
        public void PartsGiveTheRecordsOfTheWholeFile(int threads, string separator, string open, string close)
        {
            string path = Write(Enumerable.Range(0, 20000).Select(i => Record(i)), separator, open, close);
            Check(path, threads);
        }

        [Fact]
        public void ACutInsideAStringIsFoundOutAndTheReaderBeforeItReadsOn()
        {
            // Image names that hold '}, {' in the first half: the first cut falls inside one, the second cut is good.
            string path = Write(Enumerable.Range(0, 30000).Select(i => Record(i, i < 12000 ? "\"img}, {" + (i / 40) + ".jpg\"" : null)));
            Check(path, 3);
            // Every guess inside a string: one reader reads it all.
            path = Write(Enumerable.Range(0, 20000).Select(i => Record(i, "\"a},{b" + (i / 40) + "\"")));
            Check(path, 4);
        }

        [Fact]
        public void SkippedRecordsAndScoresAboveOneInLaterPartsKeepTheirNumbers()
        {
            string path = Write(Enumerable.Range(0, 24000).Select(i =>
                i % 3001 == 2999 ? Record(i, score: "\"high\"")
                : i > 15000 && i % 997 == 0 ? Record(i, score: "1.5")
                : i % 4999 == 17 ? "{\"image_id\": 3, \"category_id\": 1, \"bbox\": [1, 2, -3, 4], \"score\": 0.5}"
                : i > 17000 && i % 1999 == 0 ? "{\"image_id\": 3, \"category_id\": 1, \"bbox\": [1, 2, 3, 4]}"   // first seen in the last part
                : Record(i)));
            Check(path, 3);
        }

        [Theory]
        [InlineData(0.2)]  // in the first part: the later parts are dropped
        [InlineData(0.8)]  // in a later part: its record number counts from the file's start
        public void AFaultComesAfterTheRecordsBeforeItWithItsNumber(double where)
        {
            int bad = (int)(20000 * where);
            string path = Write(Enumerable.Range(0, 20000).Select(i => i == bad ? "{\"image_id\": 1, \"category_id\": 2, \"bbox\": [1, 2, 3, 4], \"score\": 0.5 oops}" : Record(i)));
            Check(path, 3);
        }

        [Fact]
        public void TruncatedFilesAndContentAfterTheListFailAsWhole()
        {
            string text = "[\n" + string.Join(",\n", Enumerable.Range(0, 20000).Select(i => Record(i))) + "\n]\n";
            string truncated = Path.Combine(folder, "truncated.json");
            System.IO.File.WriteAllText(truncated, text.Substring(0, text.Length - 40));
            Check(truncated, 2);
            string trailing = Path.Combine(folder, "trailing.json");
            System.IO.File.WriteAllText(trailing, text + "{\"extra\": 1}");
            Check(trailing, 2);
        }

        [Fact]
        public void AFileThatIsNotAListFailsAsWhole()
        {
            // Ground truth's shape: the records sit in a list under a key, so every cut is between records, but not in the top list.
            string path = Write(Enumerable.Range(0, 20000).Select(i => Record(i)), ",\n", "{\"images\": [], \"annotations\": [\n", "\n]}\n");
            var whole = ReadWhole(path, false);
            Assert.StartsWith("NotAList", whole.Error);
            Check(path, 2);
        }

        [Fact]
        public void SmallFilesAndManyFilesAreNotCut()
        {
            string small = Write(Enumerable.Range(0, 10).Select(i => Record(i)));
            Check(small, 2, expectedParts: 1);
            string big = Write(Enumerable.Range(0, 20000).Select(i => Record(i)));
            using (var reading = new ParallelFileReading(new[] { big, big }, new[] { "a", "b" }, 2, detections: false, splitLargeFiles: true, minPartBytes: 1024))
            {
                Assert.Equal(1, reading.PartCount(0));
                Assert.Equal(1, reading.PartCount(1));
            }
        }

        [Fact]
        public void CancellingStopsEveryPart()
        {
            string path = Write(Enumerable.Range(0, 60000).Select(i => Record(i)));
            using (var cancel = new CancellationTokenSource())
            using (var reading = new ParallelFileReading(new[] { path }, new[] { "m" }, 4, false, 1L << 20, splitLargeFiles: true, minPartBytes: 1024, cancel: cancel.Token))
            {
                Assert.Equal(4, reading.PartCount(0));
                int blocks = 0;
                Assert.ThrowsAny<OperationCanceledException>(() =>
                {
                    foreach (var block in reading.ReadFile(0))
                    {
                        if (++blocks == 2) cancel.Cancel();
                    }
                });
            }
        }
    }
}
