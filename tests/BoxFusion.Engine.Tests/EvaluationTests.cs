using System.Text.Json;
using BoxFusion.Coco;
using BoxFusion.Evaluation;

namespace BoxFusion.Tests
{
    /// <summary>CocoEvaluator against pycocotools' numbers, and edge cases reasoned out from cocoeval.py.</summary>
    public class EvaluationTests
    {
        private const double Tolerance = 1e-12;
        private const double AlmostOne = 1 / (1 + 2.220446049250313e-16);   // tp / (fp + tp + np.spacing(1)) with tp = 1, fp = 0

        private static string Data(params string[] parts) => Path.Combine(new[] { AppContext.BaseDirectory, "data" }.Concat(parts).ToArray());

        /// <summary>A COCO results file (array of {image_id, category_id, bbox, score}) read with JsonDocument.</summary>
        internal static List<Detection> ReadResults(string path)
        {
            var list = new List<Detection>();
            using (var doc = JsonDocument.Parse(File.ReadAllBytes(path)))
            {
                foreach (var e in doc.RootElement.EnumerateArray())
                {
                    var id = e.GetProperty("image_id");
                    object imageId = id.ValueKind == JsonValueKind.String ? (object)id.GetString() : id.GetInt64();
                    var bb = e.GetProperty("bbox");
                    list.Add(new Detection(imageId, e.GetProperty("category_id").GetInt32(), e.GetProperty("score").GetDouble(),
                        bb[0].GetDouble(), bb[1].GetDouble(), bb[2].GetDouble(), bb[3].GetDouble(), Path.GetFileNameWithoutExtension(path)));
                }
            }
            return list;
        }

        private static void AssertStats(double[] expected, CocoStats actual, string what)
        {
            Assert.Equal(12, actual.Stats.Length);
            for (int i = 0; i < 12; i++)
                Assert.True(Math.Abs(expected[i] - actual.Stats[i]) <= Tolerance,
                    $"{what} stat {i}: expected {expected[i]:R}, got {actual.Stats[i]:R}");
        }

        [Fact]
        public void ThresholdsReproduceNumpyLinspace()
        {
            var iou = EvaluationParams.IouThresholds;
            Assert.Equal(new[] { 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.8999999999999999, 0.95 }, iou);
            Assert.Equal(0.8999999999999999, iou[8]);
            Assert.Equal(0.75, iou[5]);   // summarize() finds it with ==
            var rec = EvaluationParams.RecallThresholds;
            Assert.Equal(101, rec.Length);
            Assert.Equal(0.0, rec[0]);
            Assert.Equal(1.0, rec[100]);
            Assert.Equal(0.35000000000000003, rec[35]);
            for (int i = 0; i < 100; i++) Assert.Equal(i * 0.01, rec[i]);
        }

        [Fact]
        public void CocoFake100MatchesPycocotools()
        {
            var expected = new[]
            {
                0.5045806987249628, 0.6969727247299577, 0.5729816669904824, 0.5856257209410443, 0.5193996948036719, 0.5013978986347466,
                0.38681277964578054, 0.5936795762842003, 0.595352982877607, 0.6398109626113442, 0.5664205978994309, 0.5642905982905982,
            };
            var gt = CocoGroundTruth.Load(Data("coco-fake100", "instances_val2014_100.json"));
            var dets = ReadResults(Data("coco-fake100", "instances_val2014_fakebbox100_results.json"));
            var stats = CocoEvaluator.Evaluate(gt, dets);
            AssertStats(expected, stats, "coco-fake100");
            Assert.Equal(100, stats.ImageCount);
            Assert.Equal(dets.Count, stats.DetectionCount);
            Assert.Equal(stats.Stats[0], stats.AP);
            Assert.Equal(stats.Stats[6], stats.AR1);
            Assert.Equal(stats.Stats[11], stats.ARLarge);
            Assert.Null(stats.PerCategory);
        }

        public static IEnumerable<object[]> ManifestEntries()
        {
            foreach (var fixture in new[] { "case-a", "case-b" })
            {
                using (var doc = JsonDocument.Parse(File.ReadAllBytes(Data(fixture, "manifest.json"))))
                {
                    foreach (var model in doc.RootElement.GetProperty("models").EnumerateArray())
                        yield return new object[] { fixture, model.GetProperty("file").GetString() };
                    foreach (var run in doc.RootElement.GetProperty("runs").EnumerateArray())
                        yield return new object[] { fixture, run.GetProperty("expected").GetString() };
                }
            }
        }

        [Theory]
        [MemberData(nameof(ManifestEntries))]
        public void ManifestCocoStatsMatch(string fixture, string file)
        {
            double[] expected = null;
            using (var doc = JsonDocument.Parse(File.ReadAllBytes(Data(fixture, "manifest.json"))))
            {
                foreach (var section in new[] { ("models", "file"), ("runs", "expected") })
                    foreach (var entry in doc.RootElement.GetProperty(section.Item1).EnumerateArray())
                        if (entry.GetProperty(section.Item2).GetString() == file)
                            expected = entry.GetProperty("cocoStats").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            }
            Assert.NotNull(expected);
            var gt = CocoGroundTruth.Load(Data(fixture, "gt.json"));
            var stats = CocoEvaluator.Evaluate(gt, ReadResults(Data(fixture, file)));
            AssertStats(expected, stats, fixture + "/" + file);
        }

        [Fact]
        public void ThreadCountDoesNotChangeTheResult()
        {
            var gt = CocoGroundTruth.Load(Data("coco-fake100", "instances_val2014_100.json"));
            var dets = ReadResults(Data("coco-fake100", "instances_val2014_fakebbox100_results.json"));
            var one = CocoEvaluator.Evaluate(gt, dets, new EvaluationOptions { MaxDegreeOfParallelism = 1, PerCategory = true });
            var many = CocoEvaluator.Evaluate(gt, dets, new EvaluationOptions { MaxDegreeOfParallelism = 8, PerCategory = true });
            Assert.Equal(one.Stats, many.Stats);
            Assert.Equal(one.PerCategory.Select(c => c.AP), many.PerCategory.Select(c => c.AP));
        }

        [Fact]
        public void PerCategoryApAveragesToTheOverallAp()
        {
            var gt = CocoGroundTruth.Load(Data("coco-fake100", "instances_val2014_100.json"));
            var stats = CocoEvaluator.Evaluate(gt, ReadResults(Data("coco-fake100", "instances_val2014_fakebbox100_results.json")),
                new EvaluationOptions { PerCategory = true });
            Assert.Equal(80, stats.PerCategory.Count);
            Assert.Equal(gt.Categories.Select(c => c.Id).OrderBy(i => i), stats.PerCategory.Select(c => c.CategoryId));
            var present = stats.PerCategory.Where(c => c.AP > -1).ToList();
            Assert.All(present, c => Assert.True(c.GtCount > 0));
            Assert.All(stats.PerCategory.Where(c => c.AP == -1), c => Assert.Equal(0, c.GtCount));
            Assert.True(Math.Abs(present.Average(c => c.AP) - stats.AP) < 1e-12);
            Assert.True(Math.Abs(present.Average(c => c.AP50) - stats.AP50) < 1e-12);
            Assert.Equal("person", stats.PerCategory[0].Name);
        }

        // --- edge cases on small in-memory ground truths -------------------------------------------------------

        private static CocoAnnotation Gt(long id, object image, int category, double x, double y, double w, double h, bool crowd = false, bool ignore = false) =>
            new CocoAnnotation { Id = id, ImageId = image, CategoryId = category, X = x, Y = y, Width = w, Height = h, Area = w * h, IsCrowd = crowd, Ignore = ignore };

        private static CocoGroundTruth Truth(int images, params CocoAnnotation[] annotations) => new CocoGroundTruth(
            Enumerable.Range(1, images).Select(i => new CocoImage((long)i, i + ".jpg", 640, 480, i - 1)),
            annotations, new[] { new CocoCategory(1, "one"), new CocoCategory(2, "two") });

        private static Detection Det(object image, int category, double score, double x, double y, double w, double h) =>
            new Detection(image, category, score, x, y, w, h, "m");

        [Fact]
        public void NoDetectionsGiveZeroWhereThereIsGroundTruth()
        {
            // accumulate(): E is not empty (images with GT), npig > 0, nd = 0 -> recall 0 and q stays zeros (searchsorted
            // indexes past the empty pr). So AP/AR are 0 wherever GT exists in the area range, -1 elsewhere.
            var gt = CocoGroundTruth.Load(Data("coco-fake100", "instances_val2014_100.json"));
            var stats = CocoEvaluator.Evaluate(gt, Array.Empty<Detection>());
            Assert.All(stats.Stats, s => Assert.Equal(0.0, s));

            var mediumOnly = Truth(2, Gt(1, 1L, 1, 10, 10, 50, 50));   // area 2500: medium
            var s2 = CocoEvaluator.Evaluate(mediumOnly, Array.Empty<Detection>());
            Assert.Equal(new double[] { 0, 0, 0, -1, 0, -1, 0, 0, 0, -1, 0, -1 }, s2.Stats);
        }

        [Fact]
        public void EmptyGroundTruthGivesMinusOne()
        {
            var stats = CocoEvaluator.Evaluate(Truth(2), new[] { Det(1L, 1, 0.9, 0, 0, 10, 10) });
            Assert.All(stats.Stats, s => Assert.Equal(-1.0, s));
        }

        [Fact]
        public void DetectionsOnCrowdRegionsAreIgnored()
        {
            // Image 1 has only a crowd GT; image 2 one ordinary GT. The higher-scored detection falls on the crowd: it
            // matches the (ignored) crowd GT, so it is ignored rather than a false positive, and AP stays ~1.
            var gt = Truth(2, Gt(1, 1L, 1, 0, 0, 200, 200, crowd: true), Gt(2, 2L, 1, 10, 10, 50, 50));
            var dets = new[] { Det(1L, 1, 0.9, 20, 20, 60, 60), Det(2L, 1, 0.8, 10, 10, 50, 50) };
            var stats = CocoEvaluator.Evaluate(gt, dets);
            Assert.Equal(AlmostOne, stats.AP, 15);
            Assert.Equal(AlmostOne, stats.APMedium, 15);
            Assert.Equal(-1, stats.APSmall);
            Assert.Equal(-1, stats.APLarge);
            Assert.Equal(1.0, stats.AR1);
            Assert.Equal(1.0, stats.AR100);

            // A detection on the crowd-only image that misses the crowd box is a false positive.
            var miss = new[] { Det(1L, 1, 0.9, 400, 300, 50, 50), Det(2L, 1, 0.8, 10, 10, 50, 50) };
            Assert.Equal(0.5, CocoEvaluator.Evaluate(gt, miss).AP, 15);
        }

        [Fact]
        public void DetectionOnAnImageWithoutGroundTruthIsAFalsePositive()
        {
            var gt = Truth(2, Gt(1, 1L, 1, 10, 10, 50, 50));
            // FP (score .9, image 2 has no GT) ranked above the TP: precision at every recall is 1/2.
            var before = CocoEvaluator.Evaluate(gt, new[] { Det(2L, 1, 0.9, 10, 10, 50, 50), Det(1L, 1, 0.8, 10, 10, 50, 50) });
            Assert.Equal(0.5, before.AP);
            Assert.Equal(0.5, before.AP50);
            Assert.Equal(1.0, before.AR100);
            // Ranked below the TP it costs nothing: the precision envelope is ~1.
            var after = CocoEvaluator.Evaluate(gt, new[] { Det(2L, 1, 0.7, 10, 10, 50, 50), Det(1L, 1, 0.8, 10, 10, 50, 50) });
            Assert.Equal(AlmostOne, after.AP, 15);
        }

        [Fact]
        public void CategoryWithDetectionsButNoGroundTruthDoesNotCount()
        {
            var gt = Truth(2, Gt(1, 1L, 1, 10, 10, 50, 50), Gt(2, 2L, 1, 100, 100, 40, 60));
            var baseDets = new List<Detection> { Det(1L, 1, 0.8, 12, 10, 50, 50), Det(2L, 1, 0.6, 100, 100, 40, 60), Det(2L, 1, 0.7, 300, 100, 40, 60) };
            var baseline = CocoEvaluator.Evaluate(gt, baseDets);
            // category 2 is in the GT's categories but has no GT: precision/recall -1 for it, so it drops out of the means;
            // category 99 is not in the GT at all: pycocotools' getAnnIds(catIds=...) never loads those detections.
            var extra = new List<Detection>(baseDets) { Det(1L, 2, 0.99, 10, 10, 50, 50), Det(2L, 2, 0.5, 0, 0, 5, 5), Det(1L, 99, 0.9, 10, 10, 50, 50) };
            var stats = CocoEvaluator.Evaluate(gt, extra, new EvaluationOptions { PerCategory = true });
            Assert.Equal(baseline.Stats, stats.Stats);
            Assert.Equal(6, stats.DetectionCount);
            var two = stats.PerCategory.Single(c => c.CategoryId == 2);
            Assert.Equal(-1, two.AP);
            Assert.Equal(-1, two.AP50);
            Assert.Equal(0, two.GtCount);
            Assert.Equal(2, stats.PerCategory.Single(c => c.CategoryId == 1).GtCount);
        }

        [Fact]
        public void AnnotationIdZeroReadsAsUnmatched()
        {
            // evaluateImg stores dtm = gt['id']; accumulate treats dtm == 0 as "not matched". So a perfect detection of a
            // GT whose id is 0 counts as a false positive in pycocotools, and we reproduce that.
            var withZero = Truth(1, Gt(0, 1L, 1, 10, 10, 50, 50));
            var stats = CocoEvaluator.Evaluate(withZero, new[] { Det(1L, 1, 0.9, 10, 10, 50, 50) });
            Assert.Equal(0.0, stats.AP);
            Assert.Equal(0.0, stats.AR100);
            var withSeven = Truth(1, Gt(7, 1L, 1, 10, 10, 50, 50));
            Assert.Equal(AlmostOne, CocoEvaluator.Evaluate(withSeven, new[] { Det(1L, 1, 0.9, 10, 10, 50, 50) }).AP, 15);
        }

        [Fact]
        public void IgnoreFieldFollowsPycocotools()
        {
            // COCOeval._prepare: gt['ignore'] = gt['ignore'] if 'ignore' in gt else 0; then gt['ignore'] = 'iscrowd' in gt
            // and gt['iscrowd'] -- the second line overwrites the first, so the file's ignore flag has no effect.
            var gt = Truth(1, Gt(1, 1L, 1, 10, 10, 50, 50, ignore: true));
            var dets = new[] { Det(1L, 1, 0.9, 10, 10, 50, 50) };
            Assert.Equal(AlmostOne, CocoEvaluator.Evaluate(gt, dets).AP, 15);
            var honored = CocoEvaluator.Evaluate(gt, dets, new EvaluationOptions { HonorIgnoreField = true });
            Assert.Equal(-1, honored.AP);
        }

        [Fact]
        public void StringImageIdsResolveThroughTheGroundTruth()
        {
            var gt = Truth(2, Gt(1, 1L, 1, 10, 10, 50, 50));
            var byName = CocoEvaluator.Evaluate(gt, new[] { Det("1.jpg", 1, 0.9, 10, 10, 50, 50) });
            var byNumber = CocoEvaluator.Evaluate(gt, new[] { Det(1L, 1, 0.9, 10, 10, 50, 50) });
            Assert.Equal(byNumber.Stats, byName.Stats);
        }

        [Fact]
        public void UnknownImageIsReported()
        {
            var gt = Truth(2, Gt(1, 1L, 1, 10, 10, 50, 50));
            var ex = Assert.Throws<UnknownImageException>(() => CocoEvaluator.Evaluate(gt, new[] { Det(1L, 1, 0.9, 0, 0, 5, 5), Det(12345L, 1, 0.9, 0, 0, 5, 5) }));
            Assert.Equal(12345L, ex.ImageId);
            Assert.Equal(1, ex.DetectionIndex);
            Assert.Contains("12345", ex.Message);
            var ex2 = Assert.Throws<UnknownImageException>(() => CocoEvaluator.Evaluate(gt, new[] { Det("nope.jpg", 1, 0.9, 0, 0, 5, 5) }));
            Assert.Contains("\"nope.jpg\"", ex2.Message);
        }

        /// <summary>Detections are resolved in chunks on several threads: the earliest unknown image is still the one reported.</summary>
        [Fact]
        public void TheFirstUnknownImageIsReportedAmongMillionsOfDetections()
        {
            var gt = Truth(2, Gt(1, 1L, 1, 10, 10, 50, 50));
            var dets = Enumerable.Range(0, 300000).Select(_ => Det(1L, 1, 0.9, 0, 0, 5, 5)).ToArray();
            dets[250000] = Det(777L, 1, 0.9, 0, 0, 5, 5);
            dets[70000] = Det(555L, 1, 0.9, 0, 0, 5, 5);
            dets[200000] = null;
            var ex = Assert.Throws<UnknownImageException>(() => CocoEvaluator.Evaluate(gt, dets, new EvaluationOptions { MaxDegreeOfParallelism = 4 }));
            Assert.Equal(555L, ex.ImageId);
            Assert.Equal(70000, ex.DetectionIndex);
            dets[70000] = Det(1L, 1, 0.9, 0, 0, 5, 5);
            Assert.Throws<ArgumentException>(() => CocoEvaluator.Evaluate(gt, dets, new EvaluationOptions { MaxDegreeOfParallelism = 4 }));
        }

        [Fact]
        public void MaxDetectionsAreSortedAndSummarizedLikePycocotools()
        {
            var gt = CocoGroundTruth.Load(Data("coco-fake100", "instances_val2014_100.json"));
            var dets = ReadResults(Data("coco-fake100", "instances_val2014_fakebbox100_results.json"));
            var standard = CocoEvaluator.Evaluate(gt, dets);
            var shuffled = CocoEvaluator.Evaluate(gt, dets, new EvaluationOptions { MaxDetections = new[] { 100, 1, 10 } });
            Assert.Equal(standard.Stats, shuffled.Stats);
            Assert.Equal(new[] { 1, 10, 100 }, shuffled.MaxDetections);

            // stats[0] is _summarize(1) with its default maxDets=100: -1 when 100 is not evaluated; the rest use maxDets[0..2].
            var custom = CocoEvaluator.Evaluate(gt, dets, new EvaluationOptions { MaxDetections = new[] { 1, 5, 50 } });
            Assert.Equal(-1, custom.AP);
            Assert.True(custom.AP50 > 0);
            Assert.Equal(standard.AR1, custom.AR1);
            Assert.True(custom.AR10 <= standard.AR10);

            Assert.Throws<ArgumentException>(() => CocoEvaluator.Evaluate(gt, dets, new EvaluationOptions { MaxDetections = new[] { 1, 10 } }));
        }

        [Fact]
        public void CancellationIsObserved()
        {
            var gt = CocoGroundTruth.Load(Data("coco-fake100", "instances_val2014_100.json"));
            var dets = ReadResults(Data("coco-fake100", "instances_val2014_fakebbox100_results.json"));
            using (var cts = new CancellationTokenSource())
            {
                cts.Cancel();
                Assert.ThrowsAny<OperationCanceledException>(() => CocoEvaluator.Evaluate(gt, dets, null, cts.Token));
            }
        }
    }
}
