using BoxFusion.Coco;
using BoxFusion.Evaluation;
using BoxFusion.Fusion;
using BoxFusion.Json;
using CsCheck;

namespace BoxFusion.Tests
{
    /// <summary>DetectionRules (what a usable detection is) and the places that apply it; the weight bound; the evaluator's sweep.</summary>
    public class DetectionRulesTests
    {
        [Theory]
        [InlineData(0.5, 10, 20, 30, 40, null, null)]
        [InlineData(1e9, -1e9, 1e9, 1e9, 0, null, null)]                     // the bounds themselves
        [InlineData(double.NaN, 10, 20, 30, 40, RecordProblem.NonFiniteNumber, "score is NaN, not a finite number")]
        [InlineData(0.5, double.PositiveInfinity, 20, 30, 40, RecordProblem.NonFiniteNumber, "x is Infinity, not a finite number")]
        [InlineData(0.5, 10, 20, -1, 40, RecordProblem.NegativeSize, "negative box size (width -1, height 40)")]
        [InlineData(-0.5, 10, 20, 30, 40, RecordProblem.ScoreOutOfRange, "score -0.5 is negative")]
        [InlineData(0.5, 1e308, 20, 30, 40, RecordProblem.OutOfRange, "x is 1E+308; ")]
        [InlineData(0.5, 10, -1000000000.5, 30, 40, RecordProblem.OutOfRange, "y is -1000000000.5; ")]
        [InlineData(2e9, 10, 20, 30, 40, RecordProblem.OutOfRange, "score is 2000000000; ")]
        [InlineData(0.5, 10, 20, 30, 1e10, RecordProblem.OutOfRange, "height is 10000000000; ")]
        public void SaysWhatIsWrong(double score, double x, double y, double w, double h, RecordProblem? kind, string start)
        {
            string problem = DetectionRules.Problem(score, x, y, w, h, out var actual);
            Assert.Equal(start == null, DetectionRules.IsValid(score, x, y, w, h));
            if (start == null)
            {
                Assert.Null(problem);
                return;
            }
            Assert.StartsWith(start, problem);
            Assert.Equal(kind, actual);
        }

        private static (Detection[] Good, SkippedRecords Skipped) Read(string json)
        {
            using var reader = new CocoResultReader(new MemoryStream(Encoding.UTF8.GetBytes(json)), "mem.json", "m");
            var good = reader.ReadAll().ToArray();
            return (good, reader.Skipped);
        }

        [Fact]
        public void TheResultsReaderSkipsRecordsBeyondTheBound()
        {
            // The first and last records take the fast path; the huge ones must be taken off it and reported.
            var (good, skipped) = Read("[{\"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 2, 3, 4], \"score\": 0.5},\n" +
                "{\"image_id\": 1, \"category_id\": 1, \"bbox\": [1e308, 2, 3, 4], \"score\": 0.5},\n" +
                "{\"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 2, 3, 4], \"score\": 5e9},\n" +
                "{\"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 2, 1000000001, 4], \"score\": 0.5},\n" +
                "{\"image_id\": 1, \"category_id\": 1, \"bbox\": [-1000000000, 2, 1000000000, 4], \"score\": 1}]");
            Assert.Equal(2, good.Length);
            Assert.Equal(-1e9, good[1].X);
            var entry = Assert.Single(skipped.Entries);
            Assert.Equal(RecordProblem.OutOfRange, entry.Problem);
            Assert.Equal(3, entry.Count);
            Assert.Equal(1, entry.FirstRecord);
            Assert.StartsWith("x is 1E+308", entry.FirstDetail);
        }

        [Fact]
        public void TheYoloReaderSkipsBoxesBeyondTheBoundInPixels()
        {
            // A normalised box is fine; on a 1e300-px image its pixels are not.
            string dir = Path.Combine(Path.GetTempPath(), "boxfusion-yolo-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try
            {
                string path = Path.Combine(dir, "a.txt");
                File.WriteAllText(path, "0 0.5 0.5 0.1 0.1 0.9\n");
                var info = new CocoGroundTruth(new[] { new CocoImage(1L, "a.jpg", 1e300, 1e300, 0) }, null, null);
                var reader = new Yolo.YoloPredictionReader(info);
                var skipped = new SkippedRecords();
                Assert.Empty(reader.Read(path, reader.ImageFor(path), "m", skipped).ToList());
                Assert.Equal(RecordProblem.OutOfRange, Assert.Single(skipped.Entries).Problem);
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        [Fact]
        public void TheEnsembleRefusesWhatTheRulesRefuse()
        {
            var ensemble = new DetectionEnsemble();
            var e = Assert.Throws<ArgumentException>(() => ensemble.Add(new Detection(1L, 1, 0.5, 1e300, 0, 1, 1, "m")));
            Assert.Contains("x is 1E+300", e.Message);
            Assert.Throws<ArgumentException>(() => ensemble.Add(new Detection(1L, 1, double.NaN, 0, 0, 1, 1, "m")));
            Assert.Equal(0, ensemble.DetectionCount);
            Assert.Empty(ensemble.Models);
        }

        [Theory]
        [InlineData(1e308)]
        [InlineData(1.5e9)]
        public void WeightsBeyondTheBoundAreRefused(double weight)
        {
            var e = Assert.Throws<ArgumentException>(() => new FusionContext(new FusionOptions(), new[] { "a", "b" }, new[] { 1, weight }));
            Assert.Contains("model 'b'", e.Message);
            Assert.Contains("from 0 to 1e9", e.Message);
        }

        [Fact]
        public void WeightsAtTheBoundFuseHugeBoxesToFiniteNumbers()
        {
            // The worst case the bounds allow: boxes at the coordinate bound, the largest score and weight, many members.
            var ensemble = new DetectionEnsemble();
            for (int i = 0; i < 1000; i++)
            {
                ensemble.Add(new Detection(1L, 1, 1e9, -1e9, -1e9, 1e9, 1e9, "a"));
                ensemble.Add(new Detection(1L, 1, 1e9, -1e9, -1e9, 1e9, 1e9, "b"));
            }
            foreach (var method in Enum.GetValues<FusionMethod>())
            {
                var context = new FusionContext(new FusionOptions { Method = method }, ensemble.Models, new[] { 1e9, 1e9 });
                var fused = FusionEngine.FuseAll(ensemble, context, null, null);
                Assert.All(fused.SelectMany(f => f), d => Assert.False(double.IsNaN(d.X) || double.IsInfinity(d.X) || double.IsNaN(d.Score) || double.IsInfinity(d.Score), method + ": " + d));
            }
        }

        [Fact]
        public void TheEvaluatorsSweepFindsTheSameMatchesAsTryingEveryGroundTruth()
        {
            // Random crowded cells (overlaps, crowds, ignored areas, shared ids, boxes of every size): the statistics with the
            // x-sorted sweep (forced on) equal those with every pair tried (forced off), to the last bit.
            var box = Gen.Select(Gen.Int[0, 300], Gen.Int[0, 300], Gen.Int[0, 120], Gen.Int[0, 120]);
            var gts = Gen.Select(box, Gen.Int[1, 2], Gen.Int[0, 9], Gen.Int[1, 30]).Array[0, 60];
            var dets = Gen.Select(box, Gen.Int[1, 2], Gen.Double[0, 1]).Array[0, 90];
            Gen.Select(gts, dets).Sample((g, d) =>
            {
                var annotations = g.Select((a, i) => new CocoAnnotation
                {
                    Id = a.Item4, ImageId = 1L, CategoryId = a.Item2, X = a.Item1.Item1, Y = a.Item1.Item2, Width = a.Item1.Item3, Height = a.Item1.Item4,
                    Area = a.Item1.Item3 * a.Item1.Item4, CrowdValue = a.Item3 == 0 ? 1 : a.Item3 == 1 ? 0.5 : 0,
                }).ToList();
                var truth = new CocoGroundTruth(new[] { new CocoImage(1L, "a.jpg", 640, 480, 0) }, annotations, new[] { new CocoCategory(1, "a"), new CocoCategory(2, "b") });
                var detections = d.Select(x => new Detection(1L, x.Item2, x.Item3, x.Item1.Item1, x.Item1.Item2, x.Item1.Item3, x.Item1.Item4, "m")).ToList();
                var options = new EvaluationOptions { MaxDegreeOfParallelism = 1 };
                long saved = ImageEvaluation.SweepMinimumPairs;
                double[] dense, sweep;
                // Other tests may evaluate meanwhile: either way gives them the same numbers, only the speed differs.
                try
                {
                    ImageEvaluation.SweepMinimumPairs = long.MaxValue;
                    dense = CocoEvaluator.Evaluate(truth, detections, options).Stats.ToArray();
                    ImageEvaluation.SweepMinimumPairs = 0;
                    sweep = CocoEvaluator.Evaluate(truth, detections, options).Stats.ToArray();
                }
                finally
                {
                    ImageEvaluation.SweepMinimumPairs = saved;
                }
                Assert.Equal(dense, sweep);
            }, iter: 300);
        }
    }
}
