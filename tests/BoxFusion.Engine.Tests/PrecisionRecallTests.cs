using System.IO.Compression;
using System.Text.Json;
using BoxFusion.Coco;
using BoxFusion.Evaluation;

namespace BoxFusion.Tests
{
    /// <summary>
    /// accumulate()'s arrays against references made by a separate implementation of COCOeval
    /// (tests/data/precision-recall/make_reference.py; tests/data/README.md says how).
    /// </summary>
    public class PrecisionRecallTests
    {
        private const double Tolerance = 1e-12;

        public static IEnumerable<object[]> Cases() => new[]
        {
            new object[] { "coco-fake100/instances_val2014_100.json", "coco-fake100/instances_val2014_fakebbox100_results.json", "coco-fake100-bbox.json.gz" },
            new object[] { "case-a/gt.json", "case-a/model1.json", "case-a-model1.json.gz" },
            new object[] { "case-a/gt.json", "case-a/expected/wbf-avg.json", "case-a-wbf-avg.json.gz" },
        };

        private sealed class Reference
        {
            public int T, R, K, A, M;
            public int[] CategoryIds;
            public double[] Precision, Recall, Scores, Stats;
        }

        private static Reference Load(string name)
        {
            using var file = File.OpenRead(FixtureRuns.DataPath("precision-recall", name));
            using var gz = new GZipStream(file, CompressionMode.Decompress);
            using var doc = JsonDocument.Parse(gz);
            var root = doc.RootElement;
            var shape = root.GetProperty("shape");
            double[] Doubles(string key) => root.GetProperty(key).EnumerateArray().Select(e => e.GetDouble()).ToArray();
            return new Reference
            {
                T = shape.GetProperty("T").GetInt32(), R = shape.GetProperty("R").GetInt32(), K = shape.GetProperty("K").GetInt32(),
                A = shape.GetProperty("A").GetInt32(), M = shape.GetProperty("M").GetInt32(),
                CategoryIds = root.GetProperty("categoryIds").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                Precision = Doubles("precision"), Recall = Doubles("recall"), Scores = Doubles("scores"), Stats = Doubles("stats"),
            };
        }

        private static CocoStats Evaluate(string gtPath, string resultsPath, bool keep)
        {
            var gt = CocoGroundTruth.Load(FixtureRuns.DataPath(gtPath.Split('/')));
            var dets = EvaluationTests.ReadResults(FixtureRuns.DataPath(resultsPath.Split('/')));
            return CocoEvaluator.Evaluate(gt, dets, new EvaluationOptions { KeepPrecisionRecall = keep });
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void ArraysEqualTheReference(string gtPath, string resultsPath, string reference)
        {
            var expected = Load(reference);
            var curves = Evaluate(gtPath, resultsPath, keep: true).PrecisionRecall;
            Assert.NotNull(curves);
            Assert.Equal(new[] { expected.T, expected.R, expected.K, expected.A, expected.M },
                Enumerable.Range(0, 5).Select(curves.Precision.GetLength).ToArray());
            Assert.Equal(new[] { expected.T, expected.K, expected.A, expected.M }, Enumerable.Range(0, 4).Select(curves.Recall.GetLength).ToArray());
            Assert.Equal(expected.CategoryIds, curves.CategoryIds);
            int i = 0, differing = 0;
            string first = null;
            for (int t = 0; t < expected.T; t++)
                for (int r = 0; r < expected.R; r++)
                    for (int k = 0; k < expected.K; k++)
                        for (int a = 0; a < expected.A; a++)
                            for (int m = 0; m < expected.M; m++, i++)
                            {
                                if (Math.Abs(curves.Precision[t, r, k, a, m] - expected.Precision[i]) > Tolerance
                                    || Math.Abs(curves.Scores[t, r, k, a, m] - expected.Scores[i]) > Tolerance)
                                {
                                    differing++;
                                    first ??= $"[{t},{r},{k},{a},{m}] precision {curves.Precision[t, r, k, a, m]:R} vs {expected.Precision[i]:R}, score {curves.Scores[t, r, k, a, m]:R} vs {expected.Scores[i]:R}";
                                }
                            }
            Assert.True(differing == 0, $"{differing} precision/score entries differ; first {first}");
            i = 0;
            for (int t = 0; t < expected.T; t++)
                for (int k = 0; k < expected.K; k++)
                    for (int a = 0; a < expected.A; a++)
                        for (int m = 0; m < expected.M; m++, i++)
                            Assert.True(Math.Abs(curves.Recall[t, k, a, m] - expected.Recall[i]) <= Tolerance,
                                $"recall [{t},{k},{a},{m}] {curves.Recall[t, k, a, m]:R} vs {expected.Recall[i]:R}");
        }

        /// <summary>The references themselves: summarize() over the stored arrays gives pycocotools' published stats.</summary>
        [Theory]
        [InlineData("coco-fake100-bbox.json.gz", null)]
        [InlineData("case-a-model1.json.gz", "model1.json")]
        [InlineData("case-a-wbf-avg.json.gz", "wbf-avg")]
        public void ReferenceArraysGiveThePublishedStats(string reference, string manifestEntry)
        {
            var expected = Load(reference);
            double[] published = manifestEntry == null
                ? new[]
                {
                    0.5045806987249628, 0.6969727247299577, 0.5729816669904824, 0.5856257209410443, 0.5193996948036719, 0.5013978986347466,
                    0.38681277964578054, 0.5936795762842003, 0.595352982877607, 0.6398109626113442, 0.5664205978994309, 0.5642905982905982,
                }
                : ManifestStats("case-a", manifestEntry);
            int T = expected.T, R = expected.R, K = expected.K, A = expected.A, M = expected.M;
            double Summary(bool ap, int? t0, int area, int m)
            {
                var values = new List<double>();
                for (int t = 0; t < T; t++)
                {
                    if (t0.HasValue && t != t0) continue;
                    for (int r = 0; r < (ap ? R : 1); r++)
                        for (int k = 0; k < K; k++)
                        {
                            double v = ap ? expected.Precision[(((t * R + r) * K + k) * A + area) * M + m] : expected.Recall[((t * K + k) * A + area) * M + m];
                            if (v > -1) values.Add(v);
                        }
                }
                return values.Count == 0 ? -1 : NumPy.Mean(values.ToArray(), values.Count);
            }
            var derived = new[]
            {
                Summary(true, null, 0, 2), Summary(true, 0, 0, 2), Summary(true, 5, 0, 2), Summary(true, null, 1, 2), Summary(true, null, 2, 2), Summary(true, null, 3, 2),
                Summary(false, null, 0, 0), Summary(false, null, 0, 1), Summary(false, null, 0, 2), Summary(false, null, 1, 2), Summary(false, null, 2, 2), Summary(false, null, 3, 2),
            };
            for (int s = 0; s < 12; s++)
                Assert.True(Math.Abs(published[s] - derived[s]) <= Tolerance, $"stat {s}: published {published[s]:R}, from the arrays {derived[s]:R}");
            Assert.Equal(published, expected.Stats);
        }

        private static double[] ManifestStats(string fixture, string entry)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(FixtureRuns.DataPath(fixture, "manifest.json")));
            var root = doc.RootElement;
            var match = root.GetProperty("models").EnumerateArray().Concat(root.GetProperty("runs").EnumerateArray())
                .Single(e => (e.TryGetProperty("file", out var f) && f.GetString() == entry) || (e.TryGetProperty("name", out var n) && n.GetString() == entry));
            return match.GetProperty("cocoStats").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        }

        [Fact]
        public void KeepingTheArraysChangesNoStat()
        {
            var without = Evaluate("coco-fake100/instances_val2014_100.json", "coco-fake100/instances_val2014_fakebbox100_results.json", keep: false);
            var with = Evaluate("coco-fake100/instances_val2014_100.json", "coco-fake100/instances_val2014_fakebbox100_results.json", keep: true);
            Assert.Null(without.PrecisionRecall);
            Assert.Equal(without.Stats, with.Stats);
        }

        [Fact]
        public void CurvesAndTheirApMatchTheSummary()
        {
            var stats = Evaluate("case-a/gt.json", "case-a/model1.json", keep: true);
            var curves = stats.PrecisionRecall;
            Assert.Equal(new[] { "all", "small", "medium", "large" }, curves.AreaRanges);
            Assert.Equal(new[] { 1, 10, 100 }, curves.MaxDetections);
            Assert.Equal(101, curves.RecallThresholds.Length);
            Assert.Equal(stats.AP, curves.GetAveragePrecision(), 12);
            Assert.Equal(stats.AP50, curves.GetAveragePrecision(0.5), 12);
            Assert.Equal(stats.AP75, curves.GetAveragePrecision(0.75), 12);
            Assert.Equal(stats.APSmall, curves.GetAveragePrecision(areaRange: "small"), 12);
            var curve = curves.GetCurve(0.5);
            Assert.Equal(101, curve.Length);
            Assert.Equal(stats.AP50, curve.Average(), 12);
            for (int r = 1; r < curve.Length; r++) Assert.True(curve[r] <= curve[r - 1] + 1e-15, "an interpolated curve never rises");
            int someCategory = curves.CategoryIds[0];
            Assert.Equal(101, curves.GetCurve(categoryId: someCategory).Length);
            Assert.Throws<ArgumentException>(() => curves.GetCurve(0.52));
            Assert.Throws<ArgumentException>(() => curves.GetCurve(categoryId: -5));
            Assert.Throws<ArgumentException>(() => curves.GetCurve(areaRange: "huge"));
        }

        [Fact]
        public void NoDetectionsGiveZeroPrecisionWhereGroundTruthCounts()
        {
            var gt = CocoGroundTruth.Load(FixtureRuns.DataPath("case-a", "gt.json"));
            var curves = CocoEvaluator.Evaluate(gt, new List<Detection>(), new EvaluationOptions { KeepPrecisionRecall = true }).PrecisionRecall;
            int k = 0;
            while (curves.Recall[0, k, 0, 2] == -1) k++;
            Assert.Equal(0, curves.Recall[0, k, 0, 2]);
            Assert.Equal(0, curves.Precision[0, 0, k, 0, 2]);
            Assert.Equal(0, curves.Scores[0, 0, k, 0, 2]);
        }
    }
}
