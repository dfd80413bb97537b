using BoxFusion.Fusion;
using BoxFusion.Json;

namespace BoxFusion.Tests
{
    /// <summary>
    /// The ensemble keeps entries in the order they came and lays each image out when it is first asked for: what it
    /// gives must be what the rule says (images in order of first appearance, each image's boxes in model order, each
    /// model's in the order given, masks beside their boxes), however the entries came, in one go, in several, or read
    /// from files in parallel.
    /// </summary>
    public class EnsembleStorageTests
    {
        private static readonly Mask Small = Mask.FromCounts(3, 3, new long[] { 4, 1, 4 });

        /// <summary>Detections of several images and models, models out of order on some images, a mask on some.</summary>
        private static List<Detection> Detections(int count, int seed, string[] models)
        {
            var random = new Random(seed);
            var list = new List<Detection>();
            for (int i = 0; i < count; i++)
            {
                list.Add(new Detection
                {
                    ImageId = (long)(random.Next(3) == 0 ? random.Next(40) : i / 50),
                    CategoryId = 1 + random.Next(5),
                    Score = (i % 997) / 1000.0,
                    X = i,
                    Y = seed,
                    Width = 1 + random.Next(9),
                    Height = 2,
                    Model = models[(i / 300 + random.Next(2)) % models.Length],
                    Mask = random.Next(4) == 0 ? Small : null,
                });
            }
            return list;
        }

        /// <summary>The rule, written plainly: by image in order of first sight, then stably by model index.</summary>
        private static void AssertHolds(DetectionEnsemble ensemble, IEnumerable<Detection> detections)
        {
            var all = detections.ToList();
            var models = all.Select(d => d.Model).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var images = all.Select(d => d.ImageId).Distinct().ToList();
            Assert.Equal(models, ensemble.Models);
            Assert.Equal(images, ensemble.ImageIds);
            Assert.Equal(all.Count, ensemble.DetectionCount);
            Assert.Equal(all.Count(d => d.Mask != null), ensemble.MaskCount);
            for (int i = 0; i < images.Count; i++)
            {
                var expected = all.Where(d => Equals(d.ImageId, images[i]))
                    .OrderBy(d => models.FindIndex(m => string.Equals(m, d.Model, StringComparison.OrdinalIgnoreCase))).ToList();
                var entries = ensemble.GetImage(i);
                Assert.Equal(expected.Select(d => (d.X, d.Y, d.CategoryId, d.Score)), entries.Select(e => (e.X, e.Y, e.CategoryId, e.Score)));
                Assert.Equal(expected.Select(d => models.FindIndex(m => string.Equals(m, d.Model, StringComparison.OrdinalIgnoreCase))), entries.Select(e => e.Model));
                var masks = ensemble.GetMasks(i);
                if (expected.All(d => d.Mask == null)) Assert.Null(masks);
                else Assert.Equal(expected.Select(d => d.Mask), masks);
            }
        }

        [Fact]
        public void EntriesAddedInOneGoFollowTheRule()
        {
            var detections = Detections(20000, 1, new[] { "b", "a", "c" });
            var ensemble = new DetectionEnsemble();
            foreach (var d in detections) ensemble.Add(d);
            AssertHolds(ensemble, detections);
        }

        [Fact]
        public void EntriesAddedAfterTheImagesWereLaidOutJoinThem()
        {
            var first = Detections(7000, 2, new[] { "a", "b" });
            var second = Detections(9000, 3, new[] { "c", "B", "a" });
            var ensemble = new DetectionEnsemble();
            foreach (var d in first) ensemble.Add(d);
            AssertHolds(ensemble, first);
            foreach (var d in second) ensemble.Add(d);
            AssertHolds(ensemble, first.Concat(second));
        }

        [Fact]
        public void LaidOutFromSeveralThreadsAtOnceTheImagesAreTheSame()
        {
            var detections = Detections(30000, 4, new[] { "b", "a" });
            var ensemble = new DetectionEnsemble();
            foreach (var d in detections) ensemble.Add(d);
            var counts = new int[ensemble.ImageCount];
            System.Threading.Tasks.Parallel.For(0, ensemble.ImageCount, i => counts[i] = ensemble.GetImage(i).Count);
            Assert.Equal(detections.GroupBy(d => d.ImageId).Select(g => g.Count()), counts);
            AssertHolds(ensemble, detections);
        }

        private static string Json(IEnumerable<Detection> detections) =>
            "[\n" + string.Join(",\n", detections.Select(d => string.Format(CultureInfo.InvariantCulture,
                "{{\"image_id\": {0}, \"category_id\": {1}, \"bbox\": [{2:R}, {3:R}, {4:R}, {5:R}], \"score\": {6:R}{7}}}",
                d.ImageId, d.CategoryId, d.X, d.Y, d.Width, d.Height, d.Score,
                d.Mask != null ? ", \"segmentation\": {\"size\": [3, 3], \"counts\": [4, 1, 4]}" : ""))) + "\n]";

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void FilesReadInParallelFollowTheRule(int threads)
        {
            // The first file has no records, so every later model's index is one less than reading foresaw;
            // 'B' is the model of 'b'; masks in some files; the last file is not grouped by image.
            var models = new[] { "empty", "b", "a", "B", "c" };
            var files = new[]
            {
                new List<Detection>(),
                Detections(5000, 5, new[] { "b" }),
                Detections(70000, 6, new[] { "a" }).Select(d => { d.Mask = null; return d; }).ToList(),
                Detections(3000, 7, new[] { "B" }),
                Detections(4000, 8, new[] { "c" }).OrderBy(d => d.X % 7).ToList(),
            };
            string folder = Path.Combine(Path.GetTempPath(), "bf-storage-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                var paths = models.Select((m, i) => Path.Combine(folder, i + ".json")).ToArray();
                for (int i = 0; i < paths.Length; i++) File.WriteAllText(paths[i], Json(files[i]));
                var ensemble = new DetectionEnsemble();
                var readers = EnsembleReading.Read(ensemble, paths, models, threads);
                Assert.Equal(files.Select(f => (long)f.Count), readers.Select(r => r.RecordCount));
                AssertHolds(ensemble, files.SelectMany(f => f).Select(d => { d.Mask = d.Mask != null ? Small : null; return d; }));
                Assert.Equal(new[] { "b", "a", "c" }, ensemble.Models);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public void AFileThatFailsKeepsItsRecordsBeforeTheFaultAndTheFilesBefore(int threads)
        {
            var first = Detections(3000, 9, new[] { "a" });
            var second = Detections(2000, 10, new[] { "b" });
            string folder = Path.Combine(Path.GetTempPath(), "bf-storage-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                var paths = new[] { "0.json", "1.json", "2.json", "3.json" }.Select(p => Path.Combine(folder, p)).ToArray();
                File.WriteAllText(paths[0], Json(first));
                File.WriteAllText(paths[1], Json(second).TrimEnd(']', '\n') + ",\n{\"image_id\": 7 oops");
                File.WriteAllText(paths[3], Json(first));
                var ensemble = new DetectionEnsemble();
                var e = Assert.Throws<ResultFileException>(() => EnsembleReading.Read(ensemble, paths, new[] { "a", "b", "c", "d" }, threads));
                Assert.Equal(2000, e.RecordIndex);
                AssertHolds(ensemble, first.Concat(second).Select(d => { d.Mask = d.Mask != null ? Small : null; return d; }));

                var missing = new DetectionEnsemble();
                Assert.Throws<FileNotFoundException>(() => EnsembleReading.Read(missing, new[] { paths[0], paths[2], paths[3] }, new[] { "a", "c", "d" }, threads));
                Assert.Equal(first.Count, missing.DetectionCount);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        [Fact]
        public void ACancelledReadingStops()
        {
            string path = Path.Combine(Path.GetTempPath(), "bf-storage-" + Guid.NewGuid().ToString("N") + ".json");
            File.WriteAllText(path, Json(Detections(1000, 11, new[] { "a" })));
            try
            {
                using var cancel = new CancellationTokenSource();
                cancel.Cancel();
                Assert.Throws<OperationCanceledException>(() => EnsembleReading.Read(new DetectionEnsemble(), new[] { path, path }, new[] { "a", "b" }, 2, cancel.Token));
            }
            finally
            {
                File.Delete(path);
            }
        }
    }
}
