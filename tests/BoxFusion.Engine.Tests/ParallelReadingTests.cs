using BoxFusion.Fusion;
using BoxFusion.Json;

namespace BoxFusion.Tests
{
    /// <summary>
    /// Files parsed at once give what reading them one after another gives: every record once, in file order,
    /// block after block, and each file's fault after its records before the fault, at its turn.
    /// </summary>
    public class ParallelReadingTests
    {
        // Record counts that cross block boundaries (4096) in different places; a file with none; one ungrouped file.
        private static readonly int[] Counts = { 9000, 4096, 0, 1, 12289, 5000, 4095 };

        /// <summary>Each record's score and box say which file and record it is, so a swap or a loss shows.</summary>
        private static string File(int file, int count, bool grouped = true)
        {
            var text = new StringBuilder("[\n");
            for (int i = 0; i < count; i++)
            {
                if (i > 0) text.Append(",\n");
                int image = grouped ? i / 37 : (i * 7) % 53;
                text.AppendFormat(CultureInfo.InvariantCulture,
                    "{{\"image_id\": {0}, \"category_id\": {1}, \"bbox\": [{2}, {3}, 10.5, 20.25], \"score\": {4}}}",
                    image, 1 + (i + file) % 5, file, i, 0.5 + 0.4 * ((i * 31 + file) % 1000) / 1000.0);
            }
            return text.Append("\n]").ToString();
        }

        private static Dictionary<string, byte[]> Files(Func<int, string> text, int count)
        {
            var files = new Dictionary<string, byte[]>();
            for (int i = 0; i < count; i++) files["f" + i + ".json"] = Encoding.UTF8.GetBytes(text(i));
            return files;
        }

        private static Func<string, string, CocoResultReader> Opener(Dictionary<string, byte[]> files) => (path, model) =>
        {
            if (!files.TryGetValue(path, out var bytes)) throw new FileNotFoundException("no such file", path);
            return new CocoResultReader(new MemoryStream(bytes), path, model, ownsStream: true);
        };

        private static List<(string Model, string Text)> ReadOneByOne(Dictionary<string, byte[]> files, string[] paths, string[] models)
        {
            var all = new List<(string, string)>();
            var open = Opener(files);
            for (int i = 0; i < paths.Length; i++)
            {
                using (var reader = open(paths[i], models[i]))
                {
                    while (reader.TryRead(out Detection d)) all.Add((d.Model, Describe(d)));
                }
            }
            return all;
        }

        private static string Describe(Detection d) => string.Format(CultureInfo.InvariantCulture, "{0} {1} {2:R} {3:R} {4:R} {5:R} {6:R}",
            d.ImageId, d.CategoryId, d.Score, d.X, d.Y, d.Width, d.Height);

        [Theory]
        [InlineData(1, -1)]
        [InlineData(2, ParallelFileReading.DefaultAheadDetections)]
        [InlineData(3, 0)]
        [InlineData(8, 5000)]
        [InlineData(0, 1)]
        public void DetectionsComeInFileOrderAtAnyThreadCount(int threads, long ahead)
        {
            var files = Files(i => File(i, Counts[i], grouped: i != 4), Counts.Length);
            var paths = files.Keys.ToArray();
            var models = paths.Select((p, i) => "m" + (i % 3)).ToArray();
            var expected = ReadOneByOne(files, paths, models);
            var actual = new List<(string, string)>();
            using (var reading = new ParallelFileReading(paths, models, threads, detections: true, ahead, Opener(files)))
            {
                for (int i = 0; i < paths.Length; i++)
                {
                    foreach (var block in reading.ReadFile(i))
                    {
                        for (int k = 0; k < block.Count; k++) actual.Add((block.Detections[k].Model, Describe(block.Detections[k])));
                    }
                    Assert.Equal(Counts[i], reading.Reader(i).RecordCount);
                }
            }
            Assert.Equal(Counts.Sum(), actual.Count);
            Assert.Equal(expected, actual);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(4)]
        public void AnEnsembleReadInParallelIsTheOneReadInOrder(int threads)
        {
            var files = Files(i => File(i, Counts[i], grouped: i != 4), Counts.Length);
            var paths = files.Keys.ToArray();
            var models = paths.Select((p, i) => i == 5 ? "M1" : "m" + (i % 3)).ToArray();   // 'M1' and 'm1' are one model
            var expected = new DetectionEnsemble();
            var open = Opener(files);
            for (int i = 0; i < paths.Length; i++)
            {
                using (var reader = open(paths[i], models[i])) while (reader.TryRead(out Detection d)) expected.Add(d);
            }
            var actual = new DetectionEnsemble();
            using (var reading = new ParallelFileReading(paths, models, threads, detections: false, 3000, open))
            {
                for (int i = 0; i < paths.Length; i++)
                {
                    int model = -1;
                    foreach (var block in reading.ReadFile(i))
                    {
                        if (model < 0) model = actual.ModelOf(models[i]);
                        EnsembleReading.Add(actual, block, model);
                    }
                }
            }
            Assert.Equal(expected.Models, actual.Models);
            Assert.Equal(expected.ImageIds, actual.ImageIds);
            Assert.Equal(expected.DetectionCount, actual.DetectionCount);
            for (int i = 0; i < expected.ImageCount; i++) Assert.Equal(expected.GetImage(i), actual.GetImage(i));
        }

        [Fact]
        public void EnsembleReadingReadsFilesOnDisk()
        {
            string folder = Path.Combine(Path.GetTempPath(), "bf-parallel-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                var paths = Enumerable.Range(0, 3).Select(i => Path.Combine(folder, "m" + i + ".json")).ToArray();
                for (int i = 0; i < 3; i++) System.IO.File.WriteAllText(paths[i], File(i, 5000 + i));
                var models = new[] { "a", "b", "c" };
                var expected = new DetectionEnsemble();
                for (int i = 0; i < 3; i++)
                {
                    using (var reader = new CocoResultReader(paths[i], models[i])) while (reader.TryRead(out Detection d)) expected.Add(d);
                }
                var actual = new DetectionEnsemble();
                var readers = EnsembleReading.Read(actual, paths, models, threads: 2);
                Assert.Equal(new long[] { 5000, 5001, 5002 }, readers.Select(r => r.RecordCount));
                Assert.Equal(expected.Models, actual.Models);
                Assert.Equal(expected.ImageIds, actual.ImageIds);
                for (int i = 0; i < expected.ImageCount; i++) Assert.Equal(expected.GetImage(i), actual.GetImage(i));
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(5)]
        public void EachFileFailsAtItsTurnAfterItsGoodRecords(int threads)
        {
            // f1: a bad record (skipped, counted); f2: broken after 5000 records; f3: missing; f4: fine.
            var files = new Dictionary<string, byte[]>
            {
                ["f0.json"] = Encoding.UTF8.GetBytes(File(0, 6000)),
                ["f1.json"] = Encoding.UTF8.GetBytes(File(1, 3000).Insert(2, "{\"image_id\": 1, \"category_id\": 2, \"bbox\": [1, 2, 3, 4]},\n")),
                ["f2.json"] = Encoding.UTF8.GetBytes(File(2, 5000).TrimEnd(']', '\n') + ",\n{\"image_id\": 7, \"category_id\": 1, \"bbox\": [1, 2, 3, 4], \"score\": 0.5} oops"),
                ["f4.json"] = Encoding.UTF8.GetBytes(File(4, 4500)),
            };
            var paths = new[] { "f0.json", "f1.json", "f2.json", "f3.json", "f4.json" };
            var models = paths.Select(p => p.Substring(0, 2)).ToArray();
            var seen = new List<string>();
            using (var reading = new ParallelFileReading(paths, models, threads, detections: true, 2000, Opener(files)))
            {
                for (int i = 0; i < paths.Length; i++)
                {
                    long records = 0;
                    try
                    {
                        foreach (var block in reading.ReadFile(i)) records += block.Count;
                        seen.Add(paths[i] + ": " + records);
                    }
                    catch (ResultFileException e)
                    {
                        seen.Add(paths[i] + ": " + records + " then " + e.Problem + " at record " + e.RecordIndex);
                    }
                    catch (FileNotFoundException)
                    {
                        seen.Add(paths[i] + ": missing");
                    }
                }
                var skipped = reading.Reader(1).Skipped.Entries.Single();
                Assert.Equal((RecordProblem.MissingField, 1L, 0L), (skipped.Problem, skipped.Count, skipped.FirstRecord));
                Assert.Null(reading.Reader(3));
            }
            Assert.Equal(new[] { "f0.json: 6000", "f1.json: 3000", "f2.json: 5001 then NotJson at record 5001", "f3.json: missing", "f4.json: 4500" }, seen);
        }

        [Fact]
        public void FilesAreTakenInOrder()
        {
            var files = Files(i => File(i, 10), 2);
            using (var reading = new ParallelFileReading(files.Keys.ToArray(), new[] { "a", "b" }, 2, detections: true, open: Opener(files)))
            {
                Assert.Throws<InvalidOperationException>(() => reading.ReadFile(1).ToList());
            }
        }

        [Fact]
        public void CancellingStopsTheReading()
        {
            var files = Files(i => File(i, 50000), 4);
            using (var cancel = new CancellationTokenSource())
            using (var reading = new ParallelFileReading(files.Keys.ToArray(), new[] { "a", "b", "c", "d" }, 2, detections: true, 1000, Opener(files), cancel.Token))
            {
                long records = 0;
                Assert.Throws<OperationCanceledException>(() =>
                {
                    foreach (var block in reading.ReadFile(0))
                    {
                        records += block.Count;
                        if (records > 10000) cancel.Cancel();
                    }
                });
                Assert.True(records < 50000);
            }
        }
    }
}
