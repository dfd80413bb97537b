using System.IO;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace BoxFusion.Benchmarks
{
    /// <summary>
    /// The engine stages under BenchmarkDotNet:
    ///     dotnet run -c Release --project tests/BoxFusion.Benchmarks.Runner -- --filter '*'
    /// (any BenchmarkDotNet argument works: --filter '*Mask*', --list flat, --job ...). The default job is short
    /// (one warm-up and five measured iterations) and runs in this process, so a full run takes a few minutes;
    /// build.ps1 -Task Benchmark does not run it (its table times these stages on the COCO-sized set instead).
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            var job = Job.Default
                .WithLaunchCount(1)
                .WithWarmupCount(1)
                .WithIterationCount(5)
                .WithToolchain(InProcessEmitToolchain.Instance);
            // Reports under out/ (from the repository root, as build.ps1 keeps everything it makes), not beside the sources.
            var config = ManualConfig.Create(DefaultConfig.Instance)
                .WithArtifactsPath(Path.Combine("out", "BenchmarkDotNet.Artifacts"))
                .AddJob(job.AsDefault())
                .AddDiagnoser(MemoryDiagnoser.Default);
            var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
            foreach (var summary in summaries)
            {
                if (summary.HasCriticalValidationErrors) return 1;
                foreach (var report in summary.Reports)
                    if (!report.Success) return 1;
            }
            return 0;
        }
    }
}
