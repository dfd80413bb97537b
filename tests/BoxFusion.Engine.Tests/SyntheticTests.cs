using System.Text.Json;
using BoxFusion.Synthetic;

namespace BoxFusion.Tests
{
    public sealed class SyntheticTests : IDisposable
    {
        private readonly string root = Path.Combine(Path.GetTempPath(), "boxfusion-synth-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (Directory.Exists(root)) Directory.Delete(root, true);
        }

        private SyntheticEnsembleFiles Generate(SyntheticOptions options, string name = null) =>
            EnsembleGenerator.Write(Path.Combine(root, name ?? Guid.NewGuid().ToString("N")), options);

        private static SyntheticOptions Small(int seed = 5) => new SyntheticOptions
        {
            Images = 60, Models = 3, Classes = 6, Seed = seed, MaxDetectionsPerImage = 40,
        };

        private static IEnumerable<string> AllFiles(SyntheticEnsembleFiles files) => new[] { files.GroundTruthPath }.Concat(files.ModelPaths);

        private sealed class Image
        {
            public long Id;
            public string FileName;
            public int Width, Height;
        }

        private sealed class Det
        {
            public JsonElement ImageId;
            public int Category;
            public double X, Y, W, H, Score;
        }

        private static Dictionary<long, Image> ReadImages(string gtPath)
        {
            using (var doc = JsonDocument.Parse(File.ReadAllBytes(gtPath)))
                return doc.RootElement.GetProperty("images").EnumerateArray().Select(e => new Image
                {
                    Id = e.GetProperty("id").GetInt64(),
                    FileName = e.GetProperty("file_name").GetString(),
                    Width = e.GetProperty("width").GetInt32(),
                    Height = e.GetProperty("height").GetInt32(),
                }).ToDictionary(i => i.Id);
        }

        private static List<Det> ReadDetections(string path)
        {
            using (var doc = JsonDocument.Parse(File.ReadAllBytes(path)))
            {
                Assert.Equal(JsonValueKind.Array, doc.RootElement.ValueKind);
                var list = new List<Det>();
                foreach (var e in doc.RootElement.EnumerateArray())
                {
                    Assert.Equal(new[] { "image_id", "category_id", "bbox", "score" }, e.EnumerateObject().Select(p => p.Name).ToArray());
                    var box = e.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray();
                    Assert.Equal(4, box.Length);
                    list.Add(new Det
                    {
                        ImageId = e.GetProperty("image_id").Clone(),
                        Category = e.GetProperty("category_id").GetInt32(),
                        X = box[0], Y = box[1], W = box[2], H = box[3],
                        Score = e.GetProperty("score").GetDouble(),
                    });
                }
                return list;
            }
        }

        private static string Key(JsonElement imageId) =>
            imageId.ValueKind == JsonValueKind.String ? imageId.GetString() : imageId.GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture) + ".jpg";

        [Fact]
        public void SameSeedGivesByteIdenticalFilesWhateverTheThreads()
        {
            foreach (bool messy in new[] { false, true })
            {
                var options = Small();
                options.Shuffle = options.Dirty = options.FileNameIds = messy;
                options.MaxDegreeOfParallelism = 1;
                var first = Generate(options);
                options.MaxDegreeOfParallelism = 4;
                var second = Generate(options);
                foreach (var pair in AllFiles(first).Zip(AllFiles(second), (a, b) => (a, b)))
                    Assert.True(File.ReadAllBytes(pair.a).SequenceEqual(File.ReadAllBytes(pair.b)), pair.a + " differs from " + pair.b);
            }
        }

        [Fact]
        public void DifferentSeedsDiffer()
        {
            var a = Generate(Small(1));
            var b = Generate(Small(2));
            foreach (var pair in AllFiles(a).Zip(AllFiles(b), (x, y) => (x, y)))
                Assert.False(File.ReadAllBytes(pair.x).SequenceEqual(File.ReadAllBytes(pair.y)), Path.GetFileName(pair.x) + " is the same for seeds 1 and 2");
            // The models differ from each other too.
            Assert.NotEqual(File.ReadAllText(a.ModelPaths[0]).Length, File.ReadAllText(a.ModelPaths[1]).Length);
        }

        [Fact]
        public void GroundTruthIsWellFormedCoco()
        {
            var options = new SyntheticOptions { Images = 300, Classes = 7, Seed = 11, MaxDetectionsPerImage = 10 };
            var files = Generate(options);
            Assert.Equal("gt.json", Path.GetFileName(files.GroundTruthPath));
            var images = ReadImages(files.GroundTruthPath);
            Assert.Equal(Enumerable.Range(0, 300).Select(i => (long)i), images.Keys);
            Assert.All(images.Values, i => Assert.Equal(i.Id + ".jpg", i.FileName));
            Assert.True(images.Values.Select(i => (i.Width, i.Height)).Distinct().Count() >= 5, "too few image sizes");
            Assert.Contains(images.Values, i => i.Height > i.Width);

            using (var doc = JsonDocument.Parse(File.ReadAllBytes(files.GroundTruthPath)))
            {
                var categories = doc.RootElement.GetProperty("categories").EnumerateArray().ToList();
                Assert.Equal(Enumerable.Range(1, 7), categories.Select(c => c.GetProperty("id").GetInt32()));
                Assert.All(categories, c => Assert.False(string.IsNullOrEmpty(c.GetProperty("name").GetString())));
                Assert.All(categories, c => Assert.Equal("object", c.GetProperty("supercategory").GetString()));

                var annotations = doc.RootElement.GetProperty("annotations").EnumerateArray().ToList();
                Assert.Equal(files.AnnotationCount, annotations.Count);
                Assert.InRange(annotations.Count, 300 * 7 * 0.8, 300 * 7 * 1.2);
                int small = 0, medium = 0, large = 0, crowd = 0;
                for (int k = 0; k < annotations.Count; k++)
                {
                    var a = annotations[k];
                    Assert.Equal(k + 1, a.GetProperty("id").GetInt64());
                    var image = images[a.GetProperty("image_id").GetInt64()];
                    Assert.InRange(a.GetProperty("category_id").GetInt32(), 1, 7);
                    var box = a.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray();
                    Assert.Equal(4, box.Length);
                    Assert.True(box[0] >= 0 && box[1] >= 0 && box[2] >= 1 && box[3] >= 1, "bad box");
                    Assert.True(box[0] + box[2] <= image.Width + 1e-9 && box[1] + box[3] <= image.Height + 1e-9, "box leaves its image");
                    double area = a.GetProperty("area").GetDouble();
                    Assert.InRange(area, box[2] * box[3] - 0.01, box[2] * box[3] + 0.01);
                    int iscrowd = a.GetProperty("iscrowd").GetInt32();
                    Assert.InRange(iscrowd, 0, 1);
                    crowd += iscrowd;
                    if (area < 32 * 32) small++; else if (area < 96 * 96) medium++; else large++;
                }
                Assert.True(crowd > 0 && crowd < annotations.Count / 30, "crowd count " + crowd);
                int n = annotations.Count;
                Assert.True(small > n / 6 && medium > n / 6 && large > n / 6, $"sizes small {small}, medium {medium}, large {large}");
            }
        }

        [Fact]
        public void DetectionsAreWellFormedSortedAndCapped()
        {
            foreach (bool shuffle in new[] { false, true })
            {
                var options = Small(21);
                options.Shuffle = shuffle;
                var files = Generate(options);
                var images = ReadImages(files.GroundTruthPath);
                long total = 0;
                foreach (string path in files.ModelPaths)
                {
                    var detections = ReadDetections(path);
                    total += detections.Count;
                    var seen = new List<long>();
                    foreach (var d in detections)
                    {
                        Assert.Equal(JsonValueKind.Number, d.ImageId.ValueKind);
                        long id = d.ImageId.GetInt64();
                        var image = images[id];
                        if (seen.Count == 0 || seen[seen.Count - 1] != id) seen.Add(id);
                        Assert.InRange(d.Category, 1, options.Classes);
                        Assert.True(d.Score > 0 && d.Score < 1, "score " + d.Score);
                        Assert.True(d.X >= 0 && d.Y >= 0 && d.W >= 1 && d.H >= 1, "bad box");
                        Assert.True(d.X + d.W <= image.Width + 1e-9 && d.Y + d.H <= image.Height + 1e-9, "box leaves its image");
                    }
                    foreach (var group in detections.GroupBy(d => d.ImageId.GetInt64()))
                    {
                        var scores = group.Select(d => d.Score).ToList();
                        Assert.True(scores.Count <= options.MaxDetectionsPerImage, "too many detections");
                        for (int k = 1; k < scores.Count; k++) Assert.True(scores[k] <= scores[k - 1], "not sorted by score in image " + group.Key);
                    }
                    // Padded like a detector with a low threshold: nearly all images are full.
                    Assert.InRange(detections.Count, 0.9 * options.Images * options.MaxDetectionsPerImage, options.Images * options.MaxDetectionsPerImage);
                    Assert.Equal(options.Images, detections.Select(d => d.ImageId.GetInt64()).Distinct().Count());
                    if (!shuffle)
                        Assert.Equal(Enumerable.Range(0, options.Images).Select(i => (long)i), seen);
                    else
                        Assert.NotEqual(seen.OrderBy(i => i), seen);
                }
                Assert.Equal(total, files.DetectionCount);
            }
        }

        [Fact]
        public void ShuffleInterleavesEverySecondModel()
        {
            var options = Small(3);
            options.Shuffle = true;
            var files = Generate(options);
            int Runs(string path)
            {
                var ids = ReadDetections(path).Select(d => d.ImageId.GetInt64()).ToList();
                return 1 + Enumerable.Range(1, ids.Count - 1).Count(k => ids[k] != ids[k - 1]);
            }
            Assert.Equal(options.Images, Runs(files.ModelPaths[0]));
            Assert.True(Runs(files.ModelPaths[1]) > 3 * options.Images, "model2 is not interleaved");
        }

        [Fact]
        public void WithoutPaddingOnlySeenObjectsAreWritten()
        {
            var options = Small(4);
            options.PadToMaximum = false;
            var files = Generate(options);
            int count = ReadDetections(files.ModelPaths[0]).Count;
            Assert.InRange(count, options.Images * 3, options.Images * options.MaxDetectionsPerImage / 2);
        }

        [Fact]
        public void FileNameIdsGiveStringIds()
        {
            var options = Small(8);
            options.FileNameIds = true;
            var files = Generate(options);
            var names = new HashSet<string>(ReadImages(files.GroundTruthPath).Values.Select(i => i.FileName));
            using (var doc = JsonDocument.Parse(File.ReadAllBytes(files.GroundTruthPath)))
                Assert.All(doc.RootElement.GetProperty("annotations").EnumerateArray(),
                    a => Assert.Equal(JsonValueKind.Number, a.GetProperty("image_id").ValueKind));
            foreach (string path in files.ModelPaths)
            {
                var detections = ReadDetections(path);
                Assert.All(detections, d => Assert.Equal(JsonValueKind.String, d.ImageId.ValueKind));
                Assert.All(detections, d => Assert.Contains(d.ImageId.GetString(), names));
                Assert.Contains(detections, d => d.ImageId.GetString() == "7.jpg");
            }
        }

        [Fact]
        public void DirtyAddsBorderZeroWidthAndExtremeScores()
        {
            var options = Small(9);
            options.Images = 12;
            options.Dirty = true;
            options.FileNameIds = true;
            var files = Generate(options);
            var images = ReadImages(files.GroundTruthPath).Values.ToDictionary(i => i.FileName);
            foreach (string path in files.ModelPaths)
            {
                var detections = ReadDetections(path);
                Assert.Contains(detections, d => d.X < 0 || d.Y < 0
                    || d.X + d.W > images[Key(d.ImageId)].Width || d.Y + d.H > images[Key(d.ImageId)].Height);
                Assert.Contains(detections, d => d.W == 0);
                Assert.Contains(detections, d => d.Score == 0);
                Assert.Contains(detections, d => d.Score == 1);
                foreach (var group in detections.GroupBy(d => Key(d.ImageId)))
                {
                    var scores = group.Select(d => d.Score).ToList();
                    Assert.True(scores.Count <= options.MaxDetectionsPerImage);
                    for (int k = 1; k < scores.Count; k++) Assert.True(scores[k] <= scores[k - 1]);
                }
            }
        }

        [Fact]
        public void ModelNamesNameTheFilesAndNoTempFilesRemain()
        {
            var options = Small(10);
            options.Images = 5;
            options.ModelNames = new[] { "yolox", "cascade.json", "detr" };
            var files = Generate(options, "named");
            Assert.Equal(new[] { "yolox.json", "cascade.json", "detr.json" }, files.ModelPaths.Select(Path.GetFileName));
            Assert.Equal(new[] { "yolox", "cascade", "detr" }, files.ModelNames);
            // Writing again over the same files works, and leaves nothing else behind.
            Generate(options, "named");
            Assert.Equal(new[] { "cascade.json", "detr.json", "gt.json", "yolox.json" },
                Directory.GetFiles(Path.Combine(root, "named")).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
        }

        [Fact]
        public void BadOptionsAreRefused()
        {
            Assert.Throws<ArgumentException>(() => Generate(new SyntheticOptions { Images = 0 }));
            Assert.Throws<ArgumentException>(() => Generate(new SyntheticOptions { Models = 2, ModelNames = new[] { "a" } }));
            Assert.Throws<ArgumentException>(() => Generate(new SyntheticOptions { Models = 2, ModelNames = new[] { "a", "A.json" } }));
            Assert.Throws<ArgumentException>(() => Generate(new SyntheticOptions { Models = 1, ModelNames = new[] { "gt" } }));
            Assert.Throws<ArgumentException>(() => Generate(new SyntheticOptions { Models = 1, ModelNames = new[] { "../x" } }));
            Assert.Throws<ArgumentNullException>(() => EnsembleGenerator.Write(root, null));
        }

        [Fact]
        public void PortableMathMatchesTheRuntime()
        {
            var rng = new SplitMix(42);
            for (int i = 0; i < 10000; i++)
            {
                double x = rng.Uniform(-50, 50);
                Assert.Equal(Math.Exp(x), DetMath.Exp(x), Math.Exp(x) * 1e-14);
                double y = DetMath.Exp(rng.Uniform(-30, 30));
                Assert.Equal(Math.Log(y), DetMath.Log(y), 1e-13);
            }
        }

        /// <summary>
        /// tests/data/sample is this generator's output; the test also pins the output across machines.
        /// After changing the generator, regenerate it with the options below.
        /// </summary>
        [Fact]
        public void BundledSampleIsReproduced()
        {
            string sample = Path.Combine(AppContext.BaseDirectory, "data", "sample");
            Assert.True(Directory.Exists(sample), "missing " + sample);
            var files = Generate(SampleOptions());
            foreach (string path in AllFiles(files))
            {
                string expected = File.ReadAllText(Path.Combine(sample, Path.GetFileName(path))).Replace("\r\n", "\n");
                Assert.True(expected == File.ReadAllText(path), Path.GetFileName(path) + " no longer matches tests/data/sample");
            }
        }

        /// <summary>tests/data/sample-masks (the sample's instance-segmentation part) is the generator's output with masks.</summary>
        [Fact]
        public void BundledMaskSampleIsReproduced()
        {
            string sample = Path.Combine(AppContext.BaseDirectory, "data", "sample-masks");
            Assert.True(Directory.Exists(sample), "missing " + sample);
            var files = Generate(MaskSampleOptions());
            foreach (string path in AllFiles(files))
            {
                string expected = File.ReadAllText(Path.Combine(sample, Path.GetFileName(path))).Replace("\r\n", "\n");
                Assert.True(expected == File.ReadAllText(path), Path.GetFileName(path) + " no longer matches tests/data/sample-masks");
            }
        }

        internal static SyntheticOptions MaskSampleOptions() => new SyntheticOptions
        {
            Images = 60, Models = 3, Classes = 8, Seed = 7, MaxDetectionsPerImage = 20, Masks = true,
            ModelNames = new[] { "maskrcnn", "cascade-mask", "mask2former" },
        };

        internal static SyntheticOptions SampleOptions() => new SyntheticOptions
        {
            Images = 200, Models = 3, Classes = 8, Seed = 7, MaxDetectionsPerImage = 30,
            ModelNames = new[] { "yolox", "cascade", "detr" },
        };
    }
}
