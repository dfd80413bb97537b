using BoxFusion.Fusion;
using BoxFusion.Json;

namespace BoxFusion.Tests
{
    /// <summary>
    /// Streaming grouped files side by side (EnsembleLayout, then StreamingFusion) against the in-memory way
    /// (one DetectionEnsemble of the files in order): the same images, in the same order, fused to the same bytes.
    /// </summary>
    public sealed class StreamingFusionTests : IDisposable
    {
        private readonly string folder = Path.Combine(Path.GetTempPath(), "boxfusion-stream-" + Guid.NewGuid().ToString("N"));

        public StreamingFusionTests() => Directory.CreateDirectory(folder);

        public void Dispose() => Directory.Delete(folder, recursive: true);

        // ---- helpers ----

        private sealed class Record
        {
            public object ImageId;
            public int Category;
            public double X, Y, W, H, Score;
            public string Raw; // written as is instead (a bad record)
        }

        private string WriteFile(string name, IEnumerable<Record> records, bool truncate = false)
        {
            var text = new StringBuilder("[");
            bool first = true;
            foreach (var r in records)
            {
                text.Append(first ? "\n" : ",\n");
                first = false;
                if (r.Raw != null) { text.Append(r.Raw); continue; }
                string id = r.ImageId is string s ? "\"" + s + "\"" : Convert.ToString(r.ImageId, CultureInfo.InvariantCulture);
                text.Append(string.Format(CultureInfo.InvariantCulture,
                    "{{\"image_id\": {0}, \"category_id\": {1}, \"bbox\": [{2:R}, {3:R}, {4:R}, {5:R}], \"score\": {6:R}}}",
                    id, r.Category, r.X, r.Y, r.W, r.H, r.Score));
            }
            text.Append("\n]\n");
            string content = text.ToString();
            if (truncate) content = content.Substring(0, content.Length * 2 / 3);
            string path = Path.Combine(folder, name);
            File.WriteAllText(path, content);
            return path;
        }

        /// <summary>Boxes of one image and model near a few shared objects, so that fusion has clusters to make.</summary>
        private static List<Record> Boxes(Random rng, object imageId, int count)
        {
            var list = new List<Record>();
            for (int k = 0; k < count; k++)
            {
                int o = rng.Next(4);
                list.Add(new Record
                {
                    ImageId = imageId,
                    Category = 1 + o % 3,
                    X = 10 + 50 * o + rng.NextDouble() * 6,
                    Y = 20 + 30 * o + rng.NextDouble() * 6,
                    W = 40 + rng.NextDouble() * 8,
                    H = 30 + rng.NextDouble() * 8,
                    Score = Math.Round(0.05 + rng.NextDouble() * 0.9, 1), // coarse: equal scores are common, so box order matters
                });
            }
            return list;
        }

        /// <summary>
        /// The first reading as Merge-Detection does it: the files parsed side by side into blocks of values, file after
        /// file, a fault keeping the records before it. Checked against adding the records one by one as objects
        /// (same state, break, counts and fused output), so both ways of feeding a layout stay the same.
        /// </summary>
        private static EnsembleLayout Layout(string[] paths, string[] models, long holdLimit)
        {
            var layout = new EnsembleLayout(holdLimit);
            using (var reading = new ParallelFileReading(paths, models, 2, detections: false))
            {
                for (int i = 0; i < paths.Length; i++)
                {
                    layout.BeginFile(paths[i], models[i]);
                    try
                    {
                        foreach (var block in reading.ReadFile(i))
                        {
                            layout.Add(block);
                            if (layout.State == LayoutState.MustReadAgain) layout.ReadAgain();
                        }
                    }
                    catch (ResultFileException)
                    {
                    }
                }
            }
            var byObjects = LayoutByObjects(paths, models, holdLimit);
            Assert.Equal(byObjects.State, layout.State);
            Assert.Equal(byObjects.Break?.ToString(), layout.Break?.ToString());
            Assert.Equal(byObjects.DetectionCount, layout.DetectionCount);
            var options = new FusionOptions { Method = FusionMethod.WBF, IouThreshold = 0.55 };
            Assert.Equal(Output(byObjects.ToSource(), options, 1), Output(layout.ToSource(), options, 1));
            return layout;
        }

        /// <summary>The first reading with one Detection object per record, added one by one.</summary>
        private static EnsembleLayout LayoutByObjects(string[] paths, string[] models, long holdLimit)
        {
            var layout = new EnsembleLayout(holdLimit);
            for (int i = 0; i < paths.Length; i++)
            {
                layout.BeginFile(paths[i], models[i]);
                using var reader = new CocoResultReader(paths[i], models[i]);
                try
                {
                    while (reader.TryRead(out var d))
                    {
                        layout.Add(d);
                        if (layout.State == LayoutState.MustReadAgain) layout.ReadAgain();
                    }
                }
                catch (ResultFileException)
                {
                }
            }
            return layout;
        }

        private static EnsembleSource InMemory(string[] paths, string[] models)
        {
            var ensemble = new DetectionEnsemble();
            for (int i = 0; i < paths.Length; i++)
            {
                using var reader = new CocoResultReader(paths[i], models[i]);
                try
                {
                    while (reader.TryRead(out var d)) ensemble.Add(d);
                }
                catch (ResultFileException)
                {
                }
            }
            return new EnsembleSource(ensemble);
        }

        /// <summary>Every fused detection with every property, numbers round-trip, then the submission file's bytes.</summary>
        private static string Output(IFusionSource source, FusionOptions options, int threads)
        {
            options.MaxDegreeOfParallelism = threads;
            var context = new FusionContext(options, source.Models, null);
            var text = new StringBuilder();
            text.AppendLine(string.Join(",", source.Models) + " | " + string.Join(",", source.ImageIds.Select(BoxFusion.ImageIds.Describe)) + " | " + source.DetectionCount);
            var stream = new MemoryStream();
            using (var writer = new CocoResultWriter(stream))
            {
                foreach (var image in source.FuseInOrder(context, null, null))
                {
                    foreach (var d in image)
                    {
                        text.AppendLine(string.Format(CultureInfo.InvariantCulture, "{0} {1} {2:R} {3:R} {4:R} {5:R} {6:R} {7} {8} {9}",
                            BoxFusion.ImageIds.Describe(d.ImageId), d.CategoryId, d.Score, d.X, d.Y, d.Width, d.Height, d.Model, d.MergedCount, string.Join("+", d.SourceModels)));
                        writer.Write(d);
                    }
                }
                writer.Complete();
            }
            return text + Encoding.UTF8.GetString(stream.ToArray());
        }

        private static FusionOptions[] AllMethods() => new[]
        {
            new FusionOptions { Method = FusionMethod.WBF, IouThreshold = 0.55 },
            new FusionOptions { Method = FusionMethod.NMS, IouThreshold = 0.5 },
            new FusionOptions { Method = FusionMethod.SoftNMS, IouThreshold = 0.5 },
            new FusionOptions { Method = FusionMethod.NMW, IouThreshold = 0.55 },
        };

        private static void AssertSameOutput(string[] paths, string[] models, Func<FusionOptions> options = null)
        {
            var streaming = Layout(paths, models, holdLimit: 0);
            Assert.Equal(LayoutState.Streaming, streaming.State);
            Assert.IsType<StreamingFusion>(streaming.ToSource());
            var memory = InMemory(paths, models);
            foreach (var o in options != null ? new[] { options() } : AllMethods())
            {
                string expected = Output(memory, o, threads: 1);
                Assert.Equal(expected, Output(streaming.ToSource(), o, threads: 1));
                Assert.Equal(expected, Output(streaming.ToSource(), o, threads: 4));
            }
        }

        // ---- tests ----

        [Fact]
        public void SampleFilesStreamToTheSameBytesAsInMemory()
        {
            var paths = new[] { "cascade", "detr", "yolox" }.Select(m => FixtureRuns.DataPath("sample", m + ".json")).ToArray();
            AssertSameOutput(paths, new[] { "cascade", "detr", "yolox" });
        }

        [Fact]
        public void FilesWithOtherOrdersGapsAndExtraImagesStreamInFirstAppearanceOrder()
        {
            // case-a: grouped files, each in its own image order, each lacking some images.
            var paths = FixtureRuns.ModelFiles("case-a");
            AssertSameOutput(paths, paths.Select(Path.GetFileNameWithoutExtension).ToArray());
        }

        [Fact]
        public void EdgeCasesOfLayoutStreamToTheSameBytes()
        {
            var rng = new Random(7);
            var ids = Enumerable.Range(0, 40).Select(i => i % 5 == 0 ? (object)("img" + i + ".jpg") : (object)(long)(1000 - i)).ToArray();
            IEnumerable<Record> For(IEnumerable<object> images, int max) => images.SelectMany(id => Boxes(rng, id, 1 + rng.Next(max)));
            var paths = new List<string>();
            // a: lacks every third image, so a later file's images come first from it.
            paths.Add(WriteFile("a.json", For(ids.Where((id, i) => i % 3 != 0), 6)));
            // b: all images in reverse order, plus images no other file has.
            paths.Add(WriteFile("b.json", For(ids.Reverse().Concat(new object[] { 5L, "only-b" }), 5)));
            // empty: no records, its model never appears.
            paths.Add(WriteFile("empty.json", Array.Empty<Record>()));
            // c: bad records skipped (a whole image's run among them), then the file is cut short.
            var c = For(ids.Skip(10), 4).ToList();
            c.Insert(0, new Record { Raw = "{\"image_id\": 7, \"category_id\": 1, \"bbox\": [1, 2, 3], \"score\": 0.5}" });
            c.Insert(5, new Record { Raw = "{\"image_id\": 1000, \"category_id\": 1, \"score\": 0.5}" });
            paths.Add(WriteFile("c.json", c, truncate: true));
            // a2: a second file of model 'a' (named 'A': one model), after other models: its boxes go with a's.
            paths.Add(WriteFile("a2.json", For(ids.Take(25), 3)));
            var models = new[] { "a", "b", "empty", "c", "A" };
            AssertSameOutput(paths.ToArray(), models);
        }

        [Fact]
        public void GroupedFilesStreamToTheBytesTheirShuffledRecordsGiveInMemory()
        {
            var rng = new Random(11);
            var ids = Enumerable.Range(1, 30).Select(i => (object)(long)i).ToArray();
            var grouped = new List<string>();
            var shuffled = new List<string>();
            for (int m = 0; m < 3; m++)
            {
                var records = ids.Where(id => ((long)id + m) % 7 != 0).SelectMany(id => Boxes(rng, id, 1 + rng.Next(6))).ToList();
                grouped.Add(WriteFile("g" + m + ".json", records));
                shuffled.Add(WriteFile("s" + m + ".json", Riffle(records)));
            }
            var models = new[] { "m0", "m1", "m2" };
            foreach (var o in AllMethods())
            {
                string streamed = Output(Layout(grouped.ToArray(), models, 0).ToSource(), o, threads: 2);
                foreach (long limit in new long[] { 0, long.MaxValue })
                {
                    var layout = Layout(shuffled.ToArray(), models, limit);
                    Assert.Equal(LayoutState.InMemory, layout.State);
                    Assert.NotNull(layout.Break);
                    Assert.Equal(streamed, Output(layout.ToSource(), o, threads: 2));
                }
            }
        }

        /// <summary>
        /// Records of neighbouring images taken in turns, so no image's records stay together, while images keep their
        /// order of first appearance and each image its own records' order (what fusion's result depends on).
        /// </summary>
        private static List<Record> Riffle(List<Record> records)
        {
            var runs = new List<List<Record>>();
            foreach (var r in records)
            {
                if (runs.Count == 0 || !Equals(runs[^1][0].ImageId, r.ImageId)) runs.Add(new List<Record>());
                runs[^1].Add(r);
            }
            var result = new List<Record>();
            for (int i = 0; i < runs.Count; i += 2)
            {
                var a = runs[i];
                var b = i + 1 < runs.Count ? runs[i + 1] : new List<Record>();
                for (int k = 0; k < Math.Max(a.Count, b.Count); k++)
                {
                    if (k < a.Count) result.Add(a[k]);
                    if (k < b.Count) result.Add(b[k]);
                }
            }
            return result;
        }

        [Fact]
        public void DetectionsUnderTheLimitAreHeldAndNotReadAgain()
        {
            var paths = FixtureRuns.ModelFiles("case-a");
            var models = paths.Select(Path.GetFileNameWithoutExtension).ToArray();
            var layout = Layout(paths, models, holdLimit: 100000);
            Assert.Equal(LayoutState.Holding, layout.State);
            Assert.IsType<EnsembleSource>(layout.ToSource());
            Assert.Null(layout.Break);
        }

        [Fact]
        public void AFileFoundUngroupedWhileHeldStaysInMemoryAndOneFoundLaterIsReadAgain()
        {
            var paths = FixtureRuns.ModelFiles("case-b"); // model2 and model4 are not grouped by image
            var models = paths.Select(Path.GetFileNameWithoutExtension).ToArray();
            string expected = Output(InMemory(paths, models), new FusionOptions(), 1);

            var held = Layout(paths, models, long.MaxValue);
            Assert.Equal(LayoutState.InMemory, held.State);
            Assert.Equal(1, held.Break.FileIndex);
            Assert.Contains("model2.json' is not grouped by image", held.Break.ToString());
            Assert.Equal(expected, Output(held.ToSource(), new FusionOptions(), 1));

            var readAgain = Layout(paths, models, 0);
            Assert.Equal(LayoutState.InMemory, readAgain.State);
            Assert.Equal(expected, Output(readAgain.ToSource(), new FusionOptions(), 1));
        }

        [Fact]
        public void AnyHoldLimitGivesTheInMemoryBytes()
        {
            // Limits before, at and after the point where a file turns out not grouped (case-b) or has masks (mixed):
            // the held records are let go, kept, or read again, and the output is the in-memory one each time.
            var ungrouped = FixtureRuns.ModelFiles("case-b");
            var masks = Directory.GetFiles(FixtureRuns.DataPath("case-m"), "model*.json").OrderBy(p => p, StringComparer.Ordinal);
            var mixed = new[] { FixtureRuns.DataPath("sample", "cascade.json") }.Concat(masks).ToArray();
            foreach (var paths in new[] { ungrouped, mixed })
            {
                var models = paths.Select(Path.GetFileNameWithoutExtension).ToArray();
                string expected = Output(InMemory(paths, models), new FusionOptions(), 1);
                long total = LayoutByObjects(paths, models, long.MaxValue).DetectionCount;
                foreach (long limit in new[] { 1, 7, total / 3, total / 2, total - 1, total })
                {
                    var layout = Layout(paths, models, limit);
                    Assert.Equal(LayoutState.InMemory, layout.State);
                    Assert.Equal(expected, Output(layout.ToSource(), new FusionOptions(), 1));
                }
            }
        }

        [Fact]
        public void FilesWithMasksAreFusedInMemoryAndReadAgainWhenLetGo()
        {
            var paths = Directory.GetFiles(FixtureRuns.DataPath("case-m"), "model*.json").OrderBy(p => p, StringComparer.Ordinal).ToArray();
            var models = paths.Select(Path.GetFileNameWithoutExtension).ToArray();
            string expected = Output(InMemory(paths, models), new FusionOptions(), 1);
            foreach (long limit in new long[] { long.MaxValue, 0 })
            {
                var layout = Layout(paths, models, limit);
                Assert.Equal(LayoutState.InMemory, layout.State);
                Assert.True(layout.Break.IsMask);
                Assert.Contains("has instance masks", layout.Break.ToString());
                Assert.Equal(expected, Output(layout.ToSource(), new FusionOptions(), 1));
            }
            // Masks after a file without any: the detections were let go, so they are read again.
            var mixed = new[] { FixtureRuns.DataPath("sample", "cascade.json") }.Concat(paths).ToArray();
            var mixedModels = new[] { "cascade" }.Concat(models).ToArray();
            var again = Layout(mixed, mixedModels, 0);
            Assert.Equal(LayoutState.InMemory, again.State);
            Assert.True(again.Break.IsMask);
            Assert.Equal(Output(InMemory(mixed, mixedModels), new FusionOptions(), 1), Output(again.ToSource(), new FusionOptions(), 1));
        }

        [Fact]
        public void AFileChangedBeforeTheSecondReadingIsAnError()
        {
            var rng = new Random(3);
            var ids = Enumerable.Range(1, 10).Select(i => (object)(long)i).ToArray();
            var a = WriteFile("a.json", ids.SelectMany(id => Boxes(rng, id, 3)));
            var b = WriteFile("b.json", ids.SelectMany(id => Boxes(rng, id, 3)));
            var layout = Layout(new[] { a, b }, new[] { "a", "b" }, 0);
            WriteFile("b.json", ids.Reverse().SelectMany(id => Boxes(rng, id, 3)));
            var context = new FusionContext(new FusionOptions(), layout.ToSource().Models, null);
            var e = Assert.Throws<FileChangedException>(() => layout.ToSource().FuseInOrder(context, null, null).ToList());
            Assert.Equal(b, e.Path);

            WriteFile("b.json", ids.Take(9).SelectMany(id => Boxes(rng, id, 3)));
            e = Assert.Throws<FileChangedException>(() => layout.ToSource().FuseInOrder(context, null, null).ToList());
            Assert.Contains("ends after", e.Message);
        }

        [Fact]
        public void AlignedFilesHoldOnlyTheImagesInFlight()
        {
            var rng = new Random(5);
            var ids = Enumerable.Range(1, 2000).Select(i => (object)(long)i).ToArray();
            var paths = Enumerable.Range(0, 4).Select(m => WriteFile("m" + m + ".json",
                ids.Where(id => m == 0 || ((long)id + m) % 11 != 0).SelectMany(id => Boxes(rng, id, 1 + rng.Next(3))))).ToArray();
            var layout = Layout(paths, new[] { "m0", "m1", "m2", "m3" }, 0);
            var source = (StreamingFusion)layout.ToSource();
            var context = new FusionContext(new FusionOptions(), source.Models, null);
            int images = source.FuseInOrder(context, null, null).Count();
            Assert.Equal(2000, images);
            // Later files lack some images, the first has all: nothing waits for its turn.
            Assert.Equal(0, source.PeakWaitingRuns);
        }

        [Fact]
        public void CancellingStopsTheReadersAndTheFusion()
        {
            var paths = new[] { "cascade", "detr", "yolox" }.Select(m => FixtureRuns.DataPath("sample", m + ".json")).ToArray();
            var source = Layout(paths, new[] { "cascade", "detr", "yolox" }, 0).ToSource();
            var context = new FusionContext(new FusionOptions(), source.Models, null);
            using var cancel = new CancellationTokenSource();
            int seen = 0;
            Assert.ThrowsAny<OperationCanceledException>(() =>
            {
                foreach (var image in source.FuseInOrder(context, null, null, cancel.Token))
                {
                    if (++seen == 3) cancel.Cancel();
                }
            });
            Assert.Equal(3, seen);
        }
    }
}
