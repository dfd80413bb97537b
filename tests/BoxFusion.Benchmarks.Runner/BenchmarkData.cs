using System;
using System.IO;
using System.Linq;
using BoxFusion.Synthetic;

namespace BoxFusion.Benchmarks
{
    /// <summary>A synthetic ensemble for the BenchmarkDotNet runs, generated once per option set into the temporary folder.</summary>
    public sealed class BenchmarkData
    {
        private BenchmarkData(string groundTruth, string[] files, string[] models)
        {
            GroundTruth = groundTruth;
            Files = files;
            Models = models;
        }

        public string GroundTruth { get; }

        public string[] Files { get; }

        public string[] Models { get; }

        /// <summary>COCO-like: 80 classes, up to 100 detections per image and model (and masks when asked), seed 1.</summary>
        public static BenchmarkData Get(int images, int models, bool masks)
        {
            var options = new SyntheticOptions { Images = images, Models = models, Classes = 80, Seed = 1, MaxDetectionsPerImage = 100, Masks = masks };
            string key = FormattableString.Invariant($"boxfusion-bench-i{images}-m{models}-c80-s1-d100{(masks ? "-segm" : "")}");
            string folder = Path.Combine(Path.GetTempPath(), key);
            string stamp = Path.Combine(folder, "complete.stamp");
            string[] names = Enumerable.Range(1, models).Select(m => FormattableString.Invariant($"model{m}")).ToArray();
            // The generator's output is fixed by its options, so a complete earlier set is the same data.
            if (!File.Exists(stamp))
            {
                EnsembleGenerator.Write(folder, options);
                File.WriteAllText(stamp, "complete");
            }
            return new BenchmarkData(Path.Combine(folder, "gt.json"), names.Select(n => Path.Combine(folder, n + ".json")).ToArray(), names);
        }
    }
}
