using System.IO.Compression;
using System.Text.Json;
using BoxFusion.Coco;
using BoxFusion.Evaluation;

namespace BoxFusion.Tests
{
    public class DetectionComparerTests
    {
        private static CocoAnnotation Box(long id, int category, double x, double y, double w, double h, bool crowd = false, object image = null) =>
            new CocoAnnotation { Id = id, ImageId = image ?? 1L, CategoryId = category, X = x, Y = y, Width = w, Height = h, Area = w * h, IsCrowd = crowd };

        private static CocoGroundTruth Truth(params CocoAnnotation[] boxes) => new CocoGroundTruth(
            new[] { new CocoImage(1L, "one.jpg", 640, 480, 0), new CocoImage(2L, "two.jpg", 640, 480, 1) },
            boxes, new[] { new CocoCategory(1, "cat"), new CocoCategory(2, "dog") });

        private static Detection Det(int category, double score, double x, double y, double w, double h, object image = null) =>
            new Detection(image ?? 1L, category, score, x, y, w, h, "m");

        [Fact]
        public void EachOutcomeAndReason()
        {
            var gt = Truth(
                Box(10, 1, 0, 0, 100, 100),
                Box(11, 2, 300, 300, 100, 100),
                Box(12, 1, 500, 0, 50, 50),            // nobody finds it
                Box(13, 1, 200, 0, 80, 80, crowd: true));
            var dets = new List<Detection>
            {
                Det(1, 0.9, 0, 0, 100, 100),        // true positive on 10
                Det(1, 0.8, 2, 2, 100, 100),        // duplicate of 10
                Det(1, 0.7, 300, 300, 100, 100),    // a dog called a cat
                Det(1, 0.6, 60, 60, 100, 100),      // barely overlaps 10
                Det(1, 0.5, 600, 400, 20, 20),      // background
                Det(1, 0.4, 210, 10, 20, 20),       // inside the crowd region
                Det(7, 0.3, 0, 0, 10, 10),          // category the ground truth lacks
            };
            var rows = DetectionComparer.Compare(gt, dets, "m").Matches;
            Assert.Equal(9, rows.Count);   // 7 detections, 2 missed boxes
            DetectionMatch Row(double score) => rows.Single(r => r.Score == score);

            Assert.Equal(MatchOutcome.TruePositive, Row(0.9).Outcome);
            Assert.Equal(10, Row(0.9).GroundTruthId);
            Assert.Equal(1.0, Row(0.9).Iou);
            Assert.Equal("cat", Row(0.9).Category);

            Assert.Equal((MatchOutcome.FalsePositive, MatchReason.Duplicate), (Row(0.8).Outcome, Row(0.8).Reason));
            Assert.Equal(10, Row(0.8).GroundTruthId);
            Assert.Equal(98.0 * 98 / (2 * 10000 - 98.0 * 98), Row(0.8).Iou, 12);

            Assert.Equal((MatchOutcome.FalsePositive, MatchReason.WrongClass), (Row(0.7).Outcome, Row(0.7).Reason));
            Assert.Equal(11, Row(0.7).GroundTruthId);

            // 40 x 40 overlap with box 10: IoU 1600 / 18400 = 0.087, below 0.1: background, not localization
            Assert.Equal((MatchOutcome.FalsePositive, MatchReason.Background), (Row(0.6).Outcome, Row(0.6).Reason));
            Assert.Equal((MatchOutcome.FalsePositive, MatchReason.Background), (Row(0.5).Outcome, Row(0.5).Reason));
            Assert.Null(Row(0.5).GroundTruth);

            Assert.Equal((MatchOutcome.Ignored, MatchReason.Crowd), (Row(0.4).Outcome, Row(0.4).Reason));
            Assert.Equal(13, Row(0.4).GroundTruthId);
            Assert.Equal(1.0, Row(0.4).Iou);   // a crowd region divides by the detection's area

            Assert.Equal((MatchOutcome.Ignored, MatchReason.CategoryNotInGroundTruth), (Row(0.3).Outcome, Row(0.3).Reason));

            var miss = rows.Where(r => r.Outcome == MatchOutcome.Missed).ToList();
            Assert.Equal(new long?[] { 11, 12 }, miss.Select(r => r.GroundTruthId).OrderBy(x => x).ToArray());
            Assert.All(miss, r => Assert.True(double.IsNaN(r.Score)));
            Assert.Equal("dog", miss.Single(r => r.GroundTruthId == 11).Category);

            // detections by score, then the missed boxes
            Assert.Equal(new[] { 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3 }, rows.Take(7).Select(r => r.Score).ToArray());
            Assert.All(rows, r => Assert.Equal("m", r.Model));
        }

        [Fact]
        public void LocalizationAndTheThreshold()
        {
            var gt = Truth(Box(1, 1, 0, 0, 100, 100));
            var det = Det(1, 0.9, 50, 0, 100, 100);   // IoU 5000 / 15000 = 1/3
            var at50 = DetectionComparer.Compare(gt, new[] { det }, "m").Matches;
            Assert.Equal(MatchReason.Localization, at50[0].Reason);
            Assert.Equal(1 / 3.0, at50[0].Iou, 12);
            Assert.Equal(MatchOutcome.Missed, at50[1].Outcome);
            var at30 = DetectionComparer.Compare(gt, new[] { det }, "m", new ComparisonOptions { IouThreshold = 0.3 }).Matches;
            Assert.Equal(MatchOutcome.TruePositive, at30.Single().Outcome);
        }

        [Fact]
        public void HigherScoreWinsTheBoxEvenWithLowerIou()
        {
            var gt = Truth(Box(1, 1, 0, 0, 100, 100));
            var rows = DetectionComparer.Compare(gt, new[] { Det(1, 0.5, 0, 0, 100, 100), Det(1, 0.9, 10, 0, 100, 100) }, "m").Matches;
            Assert.Equal(0.9, rows[0].Score);
            Assert.Equal(MatchOutcome.TruePositive, rows[0].Outcome);
            Assert.Equal(MatchReason.Duplicate, rows[1].Reason);
        }

        [Fact]
        public void BeyondMaxDetectionsAndUnknownImages()
        {
            var gt = Truth(Box(1, 1, 0, 0, 100, 100));
            var dets = new[] { Det(1, 0.2, 0, 0, 100, 100), Det(1, 0.9, 300, 300, 10, 10), Det(1, 0.5, 0, 0, 5, 5, image: 99L) };
            var result = DetectionComparer.Compare(gt, dets, "m", new ComparisonOptions { MaxDetections = 1 });
            Assert.Equal(99L, result.NotInGroundTruth.Single().ImageId);
            var rows = result.Matches;
            Assert.Equal(MatchOutcome.FalsePositive, rows.Single(r => r.Score == 0.9).Outcome);
            Assert.Equal(MatchReason.BeyondMaxDetections, rows.Single(r => r.Score == 0.2).Reason);
            Assert.Equal(MatchOutcome.Missed, rows[rows.Count - 1].Outcome);
        }

        [Fact]
        public void ImagesFollowTheGroundTruthAndStringIdsMatchFileNames()
        {
            var gt = Truth(Box(1, 1, 0, 0, 100, 100, image: 2L), Box(2, 1, 0, 0, 100, 100));
            var rows = DetectionComparer.Compare(gt, new[] { Det(1, 0.9, 0, 0, 100, 100, image: "two.jpg") }, "m").Matches;
            Assert.Equal(new object[] { 1L, 2L }, rows.Select(r => r.ImageId).ToArray());
            Assert.Equal(MatchOutcome.Missed, rows[0].Outcome);
            Assert.Equal(MatchOutcome.TruePositive, rows[1].Outcome);
            Assert.Equal("two.jpg", rows[1].FileName);
        }

        public static IEnumerable<object[]> Fixtures() => PrecisionRecallTests.Cases();

        /// <summary>
        /// At every IoU threshold and category, true positives / (true positives + missed) is pycocotools' recall at area
        /// 'all' and 100 detections (from the independent reference arrays), so the matching is COCO's.
        /// </summary>
        [Theory]
        [MemberData(nameof(Fixtures))]
        public void RecallFromTheRowsIsPycocotoolsRecall(string gtPath, string resultsPath, string reference)
        {
            var gt = CocoGroundTruth.Load(FixtureRuns.DataPath(gtPath.Split('/')));
            var dets = EvaluationTests.ReadResults(FixtureRuns.DataPath(resultsPath.Split('/')));
            using var file = File.OpenRead(FixtureRuns.DataPath("precision-recall", reference));
            using var gz = new GZipStream(file, CompressionMode.Decompress);
            using var doc = JsonDocument.Parse(gz);
            var recall = doc.RootElement.GetProperty("recall").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var categories = doc.RootElement.GetProperty("categoryIds").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            int K = categories.Length, A = 4, M = 3;
            var thresholds = EvaluationParams.IouThresholds;
            for (int t = 0; t < thresholds.Length; t++)
            {
                var rows = DetectionComparer.Compare(gt, dets, "m", new ComparisonOptions { IouThreshold = thresholds[t] }).Matches;
                Assert.Equal(dets.Count, rows.Count(r => r.Detection != null));
                for (int k = 0; k < K; k++)
                {
                    int tp = rows.Count(r => r.CategoryId == categories[k] && r.Outcome == MatchOutcome.TruePositive);
                    int missed = rows.Count(r => r.CategoryId == categories[k] && r.Outcome == MatchOutcome.Missed);
                    double expected = recall[((t * K + k) * A + 0) * M + 2];
                    double actual = tp + missed == 0 ? -1 : (double)tp / (tp + missed);
                    if (expected == -1 && tp + missed == 0) continue;
                    Assert.True(expected == actual, $"IoU {thresholds[t]} category {categories[k]}: recall {actual:R}, pycocotools {expected:R}");
                }
            }
        }
    }
}
