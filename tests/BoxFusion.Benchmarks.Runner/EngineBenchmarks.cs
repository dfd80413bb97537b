using System.Collections.Generic;
using System.IO;
using BenchmarkDotNet.Attributes;
using BoxFusion.Coco;
using BoxFusion.Fusion;

namespace BoxFusion.Benchmarks
{
    /// <summary>The box stages of Benchmark.ps1's engine rows on a 1000-image, 5-model synthetic ensemble.</summary>
    public class EngineBenchmarks
    {
        private BenchmarkData data;
        private DetectionEnsemble ensemble;
        private ImageSizes sizes;
        private Detection[][] fusedWbf;

        [Params(1000)]
        public int Images { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            data = BenchmarkData.Get(Images, 5, masks: false);
            ensemble = EngineStages.Read(data.Files, data.Models);
            sizes = EngineStages.Sizes(CocoGroundTruth.LoadImagesOnly(data.GroundTruth), ensemble);
            fusedWbf = EngineStages.Fuse(ensemble, EngineStages.Context(ensemble, FusionMethod.WBF, 0), sizes);
        }

        [Benchmark(Description = "read 5 files -> DetectionEnsemble")]
        public long Read() => EngineStages.Read(data.Files, data.Models).DetectionCount;

        [Benchmark(Description = "read in parallel, as the cmdlets read")]
        public long ReadInParallel() => EngineStages.ReadInParallel(data.Files, data.Models, 0).DetectionCount;

        [Benchmark(Description = "load ImageInfo (gt.json, images only)")]
        public int LoadImageInfo() => CocoGroundTruth.LoadImagesOnly(data.GroundTruth).Images.Count;

        [Benchmark(Description = "FuseAll")]
        [Arguments(FusionMethod.WBF)]
        [Arguments(FusionMethod.NMS)]
        [Arguments(FusionMethod.SoftNMS)]
        [Arguments(FusionMethod.NMW)]
        public long Fuse(FusionMethod method) => EngineStages.Count(EngineStages.Fuse(ensemble, EngineStages.Context(ensemble, method, 0), sizes));

        [Benchmark(Description = "write the WBF result (no disk)")]
        public long Write() => EngineStages.Write(fusedWbf, Stream.Null);

        [Benchmark(Description = "write the WBF result with -Decimals 2 (no disk)")]
        public long WriteDecimals2() => EngineStages.Write(fusedWbf, Stream.Null, 2);
    }

    /// <summary>The mask stages of Masks.ps1 on a 200-image, 3-model synthetic segm ensemble.</summary>
    public class MaskBenchmarks
    {
        private BenchmarkData data;
        private DetectionEnsemble ensemble;
        private ImageSizes sizes;
        private CocoGroundTruth groundTruth;
        private List<Detection> fused;

        [Params(200)]
        public int Images { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            data = BenchmarkData.Get(Images, 3, masks: true);
            ensemble = MaskStages.Read(data.Files, data.Models);
            groundTruth = CocoGroundTruth.Load(data.GroundTruth, true);
            sizes = MaskStages.Sizes(groundTruth, ensemble);
            fused = MaskStages.Fuse(ensemble, sizes);
        }

        [Benchmark(Description = "read 3 files with masks")]
        public long Read() => MaskStages.Read(data.Files, data.Models).MaskCount;

        [Benchmark(Description = "WBF with mask fusion")]
        public int Fuse() => MaskStages.Fuse(ensemble, sizes).Count;

        [Benchmark(Description = "segm evaluation (ground truth rasterised once)")]
        public double Evaluate() => MaskStages.Evaluate(groundTruth, fused).AP;
    }
}
