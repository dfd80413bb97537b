using BoxFusion.Coco;
using BoxFusion.Evaluation;

namespace BoxFusion.Tests
{
    /// <summary>
    /// Ground truths pycocotools reads in its own way: duplicate annotation ids, iscrowd values other than 0 and 1,
    /// and one huge image. The expected numbers are worked out by hand from cocoeval.py and coco.py (see each test).
    /// </summary>
    public sealed class PycocotoolsQuirkTests : IDisposable
    {
        private const double Tolerance = 1e-12;
        private readonly string dir = Path.Combine(Path.GetTempPath(), "boxfusion-quirks-" + Guid.NewGuid().ToString("N"));

        public PycocotoolsQuirkTests() => Directory.CreateDirectory(dir);

        public void Dispose()
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }

        /// <summary>A ground-truth file with images 1 and 2 (640 x 480), categories 1 and 2, and these annotations (JSON objects).</summary>
        private CocoGroundTruth Truth(params string[] annotations)
        {
            string path = Path.Combine(dir, Guid.NewGuid().ToString("N") + ".json");
            File.WriteAllText(path, "{\"images\": [{\"id\": 1, \"width\": 640, \"height\": 480}, {\"id\": 2, \"width\": 640, \"height\": 480}], " +
                "\"annotations\": [" + string.Join(", ", annotations) + "], \"categories\": [{\"id\": 1, \"name\": \"one\"}, {\"id\": 2, \"name\": \"two\"}]}",
                new UTF8Encoding(false));
            return CocoGroundTruth.Load(path);
        }

        private static Detection Det(long image, int category, double score, double x, double y, double w, double h) =>
            new Detection(image, category, score, x, y, w, h, "m");

        private static void AssertStats(double[] expected, CocoStats actual)
        {
            for (int i = 0; i < 12; i++)
                Assert.True(Math.Abs(expected[i] - actual.Stats[i]) < Tolerance, "stats[" + i + "] is " + actual.Stats[i] + "; expected " + expected[i] + " (" + actual + ")");
        }

        // --- duplicate annotation ids ------------------------------------------------------------------------------
        // coco.py createIndex: imgToAnns[image_id] gets every annotation, but anns[id] = ann keeps only the LAST one of each id.
        // COCOeval._prepare loads its ground truth as loadAnns(getAnnIds(imgIds, catIds)): getAnnIds walks imgToAnns (sorted
        // image ids, file order within an image), filters on each annotation's own category, and returns ids; loadAnns maps
        // each id through anns. So every annotation of an id stands in the place of each earlier one of that id (and is then
        // grouped under its own image and category); two copies are two ground truths, each matched once.

        [Fact]
        public void DuplicateIdsInOneImage()
        {
            // A (id 1) at [0,0,10,10] and B (also id 1) at [100,100,10,10]: pycocotools evaluates [B, B], A is gone.
            // Detections: d1 on A (0.9) -> no ground truth there: false positive; d2 on B (0.8) -> matches the first copy;
            // d3 on B (0.7) -> the first copy is taken (not a crowd), matches the second. npig = 2.
            // tp = [0,1,2], fp = [1,1,1] -> rc = [0, .5, 1], pr = [0, 1/2, 2/3]; the envelope makes every pr 2/3, and every
            // recall threshold lands on it, at every IoU threshold (the boxes are exact): AP = AP50 = AP75 = 2/3.
            // All boxes have area 100 (small): APs = 2/3; medium and large have no ground truth: -1.
            // AR1: the top detection of the image (d1) is a false positive: 0. AR10 = AR100 = ARs = 1.
            var gt = Truth(
                "{\"id\": 1, \"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 10, 10], \"area\": 100, \"iscrowd\": 0}",
                "{\"id\": 1, \"image_id\": 1, \"category_id\": 1, \"bbox\": [100, 100, 10, 10], \"area\": 100, \"iscrowd\": 0}");
            var dets = new[] { Det(1, 1, 0.9, 0, 0, 10, 10), Det(1, 1, 0.8, 100, 100, 10, 10), Det(1, 1, 0.7, 100, 100, 10, 10) };
            const double twoThirds = 2.0 / 3;
            AssertStats(new[] { twoThirds, twoThirds, twoThirds, twoThirds, -1, -1, 0, 1, 1, 1, -1, -1 }, CocoEvaluator.Evaluate(gt, dets));
            Assert.Equal(1, gt.DuplicateAnnotationIdCount);
        }

        [Fact]
        public void DuplicateIdsAcrossImagesAndCategories()
        {
            // File order: A (id 7, image 1, cat 1, [0,0,10,10]), C (id 8, image 1, cat 1, [20,20,10,10]), B (id 7, image 2,
            // cat 2, [50,50,20,20]). getAnnIds gives [7, 8] for image 1 and [7] for image 2; loadAnns gives [B, C, B].
            // So image 1 / category 1 holds only C, and image 2 / category 2 holds B twice.
            // Category 1: d1 on A (0.9) is a false positive, d2 on C (0.8) a true positive: rc = [0, 1], pr = [0, 1/2] -> AP 1/2.
            // Category 2: d3 and d4 on B both match (two copies): rc = [.5, 1], pr = [1, 1] -> AP 1. Mean: 0.75 at every IoU.
            // All boxes are small. AR1: category 1's top detection (d1) misses -> 0; category 2's (d3) finds 1 of 2 -> 1/2;
            // mean 0.25. AR10 = AR100 = ARs = 1.
            var gt = Truth(
                "{\"id\": 7, \"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 10, 10], \"area\": 100, \"iscrowd\": 0}",
                "{\"id\": 8, \"image_id\": 1, \"category_id\": 1, \"bbox\": [20, 20, 10, 10], \"area\": 100, \"iscrowd\": 0}",
                "{\"id\": 7, \"image_id\": 2, \"category_id\": 2, \"bbox\": [50, 50, 20, 20], \"area\": 400, \"iscrowd\": 0}");
            var dets = new[]
            {
                Det(1, 1, 0.9, 0, 0, 10, 10), Det(1, 1, 0.8, 20, 20, 10, 10),
                Det(2, 2, 0.7, 50, 50, 20, 20), Det(2, 2, 0.6, 50, 50, 20, 20),
            };
            AssertStats(new[] { 0.75, 0.75, 0.75, 0.75, -1, -1, 0.25, 1, 1, 1, -1, -1 }, CocoEvaluator.Evaluate(gt, dets));
            // Per category, as above.
            var perCategory = CocoEvaluator.Evaluate(gt, dets, new EvaluationOptions { PerCategory = true }).PerCategory;
            Assert.True(Math.Abs(perCategory[0].AP - 0.5) < Tolerance);
            Assert.Equal(1, perCategory[0].GtCount);
            Assert.Equal(2, perCategory[1].GtCount);
        }

        [Fact]
        public void DuplicateIdWhoseLastAnnotationIsOnAnUnknownImage()
        {
            // A (id 5, image 1) and B (id 5, image 99, which is not among the images): image 1's slot loads B, which is filed
            // under image 99 and never evaluated. No ground truth is left: every statistic is -1.
            var gt = Truth(
                "{\"id\": 5, \"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 10, 10], \"area\": 100, \"iscrowd\": 0}",
                "{\"id\": 5, \"image_id\": 99, \"category_id\": 1, \"bbox\": [0, 0, 10, 10], \"area\": 100, \"iscrowd\": 0}");
            var stats = CocoEvaluator.Evaluate(gt, new[] { Det(1, 1, 0.9, 0, 0, 10, 10) });
            Assert.All(stats.Stats, s => Assert.Equal(-1.0, s));
        }

        [Fact]
        public void AnnotationsWithoutIdStayDistinct()
        {
            // pycocotools needs an id on every annotation (KeyError otherwise); BoxFusion numbers a missing one by its
            // position, and such numbers never merge with another annotation, even one whose explicit id is the same.
            var gt = Truth(
                "{\"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 10, 10], \"area\": 100, \"iscrowd\": 0}",
                "{\"id\": 1, \"image_id\": 1, \"category_id\": 1, \"bbox\": [100, 100, 10, 10], \"area\": 100, \"iscrowd\": 0}",
                "{\"image_id\": 1, \"category_id\": 1, \"bbox\": [200, 200, 10, 10], \"area\": 100, \"iscrowd\": 0}");
            var dets = new[] { Det(1, 1, 0.9, 0, 0, 10, 10), Det(1, 1, 0.8, 100, 100, 10, 10), Det(1, 1, 0.7, 200, 200, 10, 10) };
            Assert.True(CocoEvaluator.Evaluate(gt, dets).AP > 1 - Tolerance);
            Assert.Equal(0, gt.DuplicateAnnotationIdCount);
        }

        // --- iscrowd values other than 0 and 1 -----------------------------------------------------------------------
        // cocoeval.py reads iscrowd twice: _prepare sets gt['ignore'] = 'iscrowd' in gt and gt['iscrowd'] (Python truth:
        // any non-zero number), while computeIoU and evaluateImg use int(o['iscrowd']) (truncated toward zero) to decide
        // whether the region is a crowd (IoU over the detection's area; may be matched by many detections). maskUtils.iou
        // casts that int to uint8, so values whose integer part is outside 0..255 wrap (numpy 1) or raise (numpy 2).

        private const string Plain = "{\"id\": 1, \"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 10, 10], \"area\": 100, \"iscrowd\": 0}";

        private static string Region(string iscrowd) =>
            "{\"id\": 2, \"image_id\": 1, \"category_id\": 1, \"bbox\": [100, 100, 40, 40], \"area\": 1600, \"iscrowd\": " + iscrowd + "}";

        [Fact]
        public void FractionalIscrowdIsIgnoredButNotACrowd()
        {
            // X: an ordinary box [0,0,10,10] (area 100); Y: [100,100,40,40] (area 1600) with iscrowd 0.5: ignored, not a crowd.
            // d1 and d2 exactly on Y, d3 exactly on X. Area 'all': d1 matches Y (ignored -> d1 ignored); d2 cannot (Y is taken
            // and not a crowd) -> false positive; d3 true positive. Order d1, d2, d3: tp = [0,0,1], fp = [0,1,1] (d1 counts in
            // neither) -> rc = [0,0,1], pr = [0, 0, 1/2] -> the envelope is 1/2 everywhere: AP = AP50 = AP75 = 1/2.
            // Small: d2 (area 1600) is unmatched and outside the range -> ignored: only d3 counts -> APs = 1. Medium and large:
            // both ground truths ignored (X too small, Y ignored) -> -1. AR1: the top detection (d1) is ignored -> 0.
            var gt = Truth(Plain, Region("0.5"));
            var dets = new[] { Det(1, 1, 0.9, 100, 100, 40, 40), Det(1, 1, 0.8, 100, 100, 40, 40), Det(1, 1, 0.7, 0, 0, 10, 10) };
            AssertStats(new[] { 0.5, 0.5, 0.5, 1, -1, -1, 0, 1, 1, 1, -1, -1 }, CocoEvaluator.Evaluate(gt, dets));
            // With iscrowd 1 the second detection also matches the crowd and is ignored: every AP is 1.
            Assert.True(CocoEvaluator.Evaluate(Truth(Plain, Region("1")), dets).AP > 1 - Tolerance);
        }

        [Theory]
        [InlineData("0.5")]
        [InlineData("-0.75")]
        public void FractionalIscrowdUsesTheOrdinaryIou(string iscrowd)
        {
            // d1 [100,100,20,20] lies inside Y: as a crowd its IoU would be 400/400 = 1 (ignored); as an ordinary box it is
            // 400/1600 = 0.25, below every threshold, so d1 is a false positive (area 400 counts as 'all' and 'small').
            // d2 on X is a true positive: rc = [0, 1], pr = [0, 1/2] -> AP 1/2 for 'all' and 'small'; -1 for medium, large.
            var gt = Truth(Plain, Region(iscrowd));
            var dets = new[] { Det(1, 1, 0.9, 100, 100, 20, 20), Det(1, 1, 0.8, 0, 0, 10, 10) };
            AssertStats(new[] { 0.5, 0.5, 0.5, 0.5, -1, -1, 0, 1, 1, 1, -1, -1 }, CocoEvaluator.Evaluate(gt, dets));
        }

        [Theory]
        [InlineData("2")]
        [InlineData("255.9")]
        [InlineData("true")]
        [InlineData("1.0")]
        public void IscrowdWithANonZeroIntegerPartIsACrowd(string iscrowd)
        {
            var dets = new[] { Det(1, 1, 0.9, 100, 100, 20, 20), Det(1, 1, 0.85, 100, 100, 40, 40), Det(1, 1, 0.8, 0, 0, 10, 10) };
            var expected = CocoEvaluator.Evaluate(Truth(Plain, Region("1")), dets);
            Assert.True(expected.AP > 1 - Tolerance);
            Assert.Equal(expected.Stats, CocoEvaluator.Evaluate(Truth(Plain, Region(iscrowd)), dets).Stats);
        }

        [Theory]
        [InlineData("-1")]
        [InlineData("256")]
        [InlineData("1e10")]
        public void IscrowdOutsideWhatPycocotoolsCanStoreIsAnError(string iscrowd)
        {
            var e = Assert.Throws<CocoFormatException>(() => Truth(Plain, Region(iscrowd)));
            Assert.Equal("annotations", e.Section);
            Assert.Equal(1, e.RecordIndex);
            Assert.Contains("'iscrowd'", e.Message);
            Assert.Contains("0 to 255", e.Message);
        }

        // --- one huge image ----------------------------------------------------------------------------------------------

        [Fact]
        public void FiftyThousandGroundTruthsAndDetectionsInOneImage()
        {
            // 50,000 small boxes (20 x 20 on a 30 px grid) in one image, each found exactly by one detection (distinct scores).
            // maxDets {1, 100, 50000}: AP (stats[0]) uses maxDets 100 as pycocotools does: 100 true positives of 50,000 reach
            // recall 0.002, so only the recall threshold 0 has precision (1): AP = 1/101. AP50 and AP75 use the last maxDets:
            // every detection is a true positive: 1. AR at 1, 100 and 50,000 detections: 1/50000, 100/50000, 1.
            const int n = 50000;
            var annotations = new List<CocoAnnotation>(n);
            var dets = new List<Detection>(n);
            for (int i = 0; i < n; i++)
            {
                double x = (i % 250) * 30, y = (i / 250) * 30;
                annotations.Add(new CocoAnnotation { Id = i + 1, ImageId = 1L, CategoryId = 1, X = x, Y = y, Width = 20, Height = 20, Area = 400 });
                dets.Add(new Detection(1L, 1, 1 - i * 1e-6, x, y, 20, 20, "m"));
            }
            var gt = new CocoGroundTruth(new[] { new CocoImage(1L, "big.jpg", 7500, 6000, 0) }, annotations, new[] { new CocoCategory(1, "box") });
            var stats = CocoEvaluator.Evaluate(gt, dets, new EvaluationOptions { MaxDetections = new[] { 1, 100, n } });
            Assert.True(Math.Abs(stats.AP - 1.0 / 101) < Tolerance, stats.ToString());
            Assert.True(Math.Abs(stats.AP50 - 1) < Tolerance, stats.ToString());
            Assert.True(Math.Abs(stats.AP75 - 1) < Tolerance, stats.ToString());
            Assert.True(Math.Abs(stats.AR1 - 1.0 / n) < Tolerance, stats.ToString());
            Assert.True(Math.Abs(stats.AR10 - 100.0 / n) < Tolerance, stats.ToString());
            Assert.True(Math.Abs(stats.AR100 - 1) < Tolerance, stats.ToString());
        }
    }
}
