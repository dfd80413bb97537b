using System.Text.Json;
using BoxFusion.Coco;
using BoxFusion.Fusion;
using BoxFusion.Json;

namespace BoxFusion.Tests
{
    /// <summary>The parity fixtures (tests/data/case-a, case-b): runs from manifest.json translated to our options.</summary>
    public static class FixtureRuns
    {
        public static string DataPath(params string[] parts) =>
            Path.Combine(new[] { AppContext.BaseDirectory, "data" }.Concat(parts).ToArray());

        public static IEnumerable<object[]> All(string method = null)
        {
            foreach (var fixture in new[] { "case-a", "case-b" })
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(DataPath(fixture, "manifest.json")));
                foreach (var run in doc.RootElement.GetProperty("runs").EnumerateArray())
                {
                    if (method != null && run.GetProperty("method").GetString() != method) continue;
                    yield return new object[] { fixture, run.GetProperty("name").GetString() };
                }
            }
        }

        public static (FusionOptions Options, double[] Weights, string Expected) Run(string fixture, string name)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(DataPath(fixture, "manifest.json")));
            var run = doc.RootElement.GetProperty("runs").EnumerateArray().Single(r => r.GetProperty("name").GetString() == name);
            var o = new FusionOptions();
            o.Method = run.GetProperty("method").GetString() switch
            {
                "wbf" => FusionMethod.WBF,
                "nms" => FusionMethod.NMS,
                "soft_nms" => FusionMethod.SoftNMS,
                "nmw" => FusionMethod.NMW,
                var m => throw new InvalidOperationException(m),
            };
            if (run.TryGetProperty("iou", out var iou)) o.IouThreshold = iou.GetDouble();
            if (run.TryGetProperty("skip", out var skip)) o.SkipBoxThreshold = skip.GetDouble();
            if (run.TryGetProperty("sigma", out var sigma)) o.Sigma = sigma.GetDouble();
            if (run.TryGetProperty("thresh", out var thresh)) o.ScoreThreshold = thresh.GetDouble();
            if (run.TryGetProperty("softMethod", out var sm)) o.SoftNmsFunction = sm.GetInt32() == 1 ? SoftNmsFunction.Linear : SoftNmsFunction.Gaussian;
            if (run.TryGetProperty("allowsOverflow", out var ao)) o.AllowOverflow = ao.GetBoolean();
            if (run.TryGetProperty("maskThreshold", out var mt)) o.MaskThreshold = mt.GetDouble();
            if (run.TryGetProperty("confType", out var ct))
            {
                o.ConfidenceType = ct.GetString() switch
                {
                    "avg" => ConfidenceType.Avg,
                    "max" => ConfidenceType.Max,
                    "box_and_model_avg" => ConfidenceType.BoxAndModelAvg,
                    "absent_model_aware_avg" => ConfidenceType.AbsentModelAwareAvg,
                    var c => throw new InvalidOperationException(c),
                };
            }
            double[] weights = run.TryGetProperty("weights", out var w) ? w.EnumerateArray().Select(e => e.GetDouble()).ToArray() : null;
            return (o, weights, DataPath(fixture, run.GetProperty("expected").GetString()));
        }

        public static string[] ModelFiles(string fixture)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(DataPath(fixture, "manifest.json")));
            return doc.RootElement.GetProperty("models").EnumerateArray().Select(m => DataPath(fixture, m.GetProperty("file").GetString())).ToArray();
        }

        public static List<Detection> Read(string path)
        {
            using var reader = new CocoResultReader(path, Path.GetFileNameWithoutExtension(path));
            return reader.ReadAll().ToList();
        }

        /// <summary>Fuses a fixture with the engine, clipping to the image sizes of its gt.json, as the reference did.</summary>
        public static List<Detection> Fuse(string fixture, FusionOptions options, double[] weights)
        {
            var ensemble = new DetectionEnsemble();
            foreach (var file in ModelFiles(fixture)) foreach (var d in Read(file)) ensemble.Add(d);
            var gt = CocoGroundTruth.LoadImagesOnly(DataPath(fixture, "gt.json"));
            var widths = new double[ensemble.ImageCount];
            var heights = new double[ensemble.ImageCount];
            for (int i = 0; i < ensemble.ImageCount; i++)
            {
                if (!gt.TryFindImage(ensemble.ImageIds[i], out var image)) throw new InvalidOperationException("no image " + ensemble.ImageIds[i]);
                widths[i] = image.Width;
                heights[i] = image.Height;
            }
            var context = new FusionContext(options, ensemble.Models, weights);
            Assert.Equal(0, ensemble.CheckMasks(widths, heights).Total);
            return FusionEngine.FuseAll(ensemble, context, widths, heights).SelectMany(x => x).ToList();
        }

        /// <summary>Compares per image as sets: same count; each expected box matched by one with the same category, coordinates within 1e-3 px and score within 1e-6.</summary>
        /// <param name="alsoMatches">A further condition for a match (masks compare their IoU); null for boxes only.</param>
        public static List<string> Compare(List<Detection> expected, List<Detection> actual, Func<Detection, Detection, bool> alsoMatches = null)
        {
            var problems = new List<string>();
            var byImage = actual.GroupBy(d => d.ImageId).ToDictionary(g => g.Key, g => g.ToList());
            foreach (var group in expected.GroupBy(d => d.ImageId))
            {
                var pool = byImage.TryGetValue(group.Key, out var list) ? new List<Detection>(list) : new List<Detection>();
                if (pool.Count != group.Count()) problems.Add($"image {group.Key}: expected {group.Count()} boxes, got {pool.Count}");
                foreach (var e in group)
                {
                    int at = pool.FindIndex(a => a.CategoryId == e.CategoryId && Math.Abs(a.Score - e.Score) <= 1e-6
                        && Math.Abs(a.X - e.X) <= 1e-3 && Math.Abs(a.Y - e.Y) <= 1e-3
                        && Math.Abs(a.Right - e.Right) <= 1e-3 && Math.Abs(a.Bottom - e.Bottom) <= 1e-3
                        && (alsoMatches == null || alsoMatches(e, a)));
                    if (at < 0) problems.Add($"image {group.Key}: no match for {e}" + (e.Mask != null ? $" (mask area {e.Mask.Area})" : ""));
                    else pool.RemoveAt(at);
                }
                byImage.Remove(group.Key);
            }
            foreach (var rest in byImage) if (rest.Value.Count > 0) problems.Add($"image {rest.Key}: {rest.Value.Count} unexpected boxes");
            return problems;
        }
    }
}
