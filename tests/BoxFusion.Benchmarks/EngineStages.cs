using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using BoxFusion.Coco;
using BoxFusion.Fusion;
using BoxFusion.Json;

namespace BoxFusion.Benchmarks
{
    /// <summary>Image sizes by ensemble image index (NaN where gt.json lacks the image).</summary>
    public sealed class ImageSizes
    {
        public ImageSizes(int count)
        {
            Widths = new double[count];
            Heights = new double[count];
        }

        public double[] Widths { get; }

        public double[] Heights { get; }

        public int Unknown { get; internal set; }
    }

    /// <summary>
    /// The engine stages the cmdlet pipelines run, as tight loops over the engine's classes, so their times are the
    /// engine's and not PowerShell's. Benchmark.ps1 times them; tests/BoxFusion.Benchmarks.Runner runs them under BenchmarkDotNet.
    /// </summary>
    public static class EngineStages
    {
        /// <summary>Seconds the last <see cref="Write"/> spent in its final fsync (not part of its own time).</summary>
        public static double LastFsyncSeconds { get; private set; }

        /// <summary>What Merge-Detection -Path does without the cmdlet: every file into one ensemble, on this thread.</summary>
        public static DetectionEnsemble Read(string[] paths, string[] models)
        {
            var ensemble = new DetectionEnsemble();
            for (int i = 0; i < paths.Length; i++)
            {
                using (var reader = new CocoResultReader(paths[i], models[i]))
                {
                    while (reader.TryRead(out var d)) ensemble.Add(d);
                    ThrowIfSkipped(reader, paths[i]);
                }
            }
            return ensemble;
        }

        /// <summary>As <see cref="Read"/>, the way the cmdlets read: the files parsed at once, one per thread (0: one per core),
        /// joined in file order without an object per record (EnsembleReading).</summary>
        public static DetectionEnsemble ReadInParallel(string[] paths, string[] models, int threads)
        {
            var ensemble = new DetectionEnsemble();
            var readers = EnsembleReading.Read(ensemble, paths, models, threads);
            for (int i = 0; i < readers.Length; i++)
            {
                ThrowIfSkipped(readers[i], paths[i]);
                readers[i].Dispose();
            }
            return ensemble;
        }

        private static void ThrowIfSkipped(CocoResultReader reader, string path)
        {
            if (reader.Skipped.Total > 0) throw new InvalidOperationException(path + ": " + reader.Skipped.Total + " records skipped");
        }

        /// <summary>Image sizes by ensemble image index, as Merge-Detection -ImageInfo looks them up.</summary>
        public static ImageSizes Sizes(CocoGroundTruth info, DetectionEnsemble ensemble)
        {
            int n = ensemble.ImageCount;
            var sizes = new ImageSizes(n);
            for (int i = 0; i < n; i++)
            {
                if (info.TryFindImage(ensemble.ImageIds[i], out var image))
                {
                    sizes.Widths[i] = image.Width;
                    sizes.Heights[i] = image.Height;
                }
                else
                {
                    sizes.Widths[i] = sizes.Heights[i] = double.NaN;
                    sizes.Unknown++;
                }
            }
            return sizes;
        }

        /// <summary>The options Merge-Detection uses for -Method alone (IoU 0.5 for NMS and SoftNMS, 0.55 else).</summary>
        public static FusionContext Context(DetectionEnsemble ensemble, FusionMethod method, int threads)
        {
            var options = new FusionOptions
            {
                Method = method,
                IouThreshold = method == FusionMethod.NMS || method == FusionMethod.SoftNMS ? 0.5 : 0.55,
                MaxDegreeOfParallelism = threads,
            };
            return new FusionContext(options, ensemble.Models, null);
        }

        public static Detection[][] Fuse(DetectionEnsemble ensemble, FusionContext context, ImageSizes sizes) =>
            FusionEngine.FuseAll(ensemble, context, sizes?.Widths, sizes?.Heights);

        public static long Count(Detection[][] fused)
        {
            long n = 0;
            foreach (var image in fused) n += image.Length;
            return n;
        }

        /// <summary>
        /// Writes fused results as Export-Submission does (image order, same record filter), then fsyncs as its
        /// AtomicFile does; the fsync (disk, not engine) is timed apart, into <see cref="LastFsyncSeconds"/>, and done
        /// after <paramref name="clock"/> stops. Returns the records written.
        /// </summary>
        public static long Write(Detection[][] fused, string path, Stopwatch clock) => Write(fused, path, clock, -1);

        /// <summary>As <see cref="Write(Detection[][], string, Stopwatch)"/>, with Export-Submission -Decimals (negative: without).</summary>
        public static long Write(Detection[][] fused, string path, Stopwatch clock, int decimals)
        {
            using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                long count = Write(fused, stream, decimals);
                clock?.Stop();
                var fsync = Stopwatch.StartNew();
                stream.Flush(true);
                LastFsyncSeconds = fsync.Elapsed.TotalSeconds;
                return count;
            }
        }

        /// <summary>The records of <see cref="Write(Detection[][], string, Stopwatch)"/>, to any stream.</summary>
        public static long Write(Detection[][] fused, Stream stream) => Write(fused, stream, -1);

        /// <summary>The same with -Decimals (negative: without); boxes that round to zero size are left out as the cmdlet does.</summary>
        public static long Write(Detection[][] fused, Stream stream, int decimals)
        {
            using (var writer = decimals < 0 ? new CocoResultWriter(stream) : new CocoResultWriter(stream, decimals))
            {
                foreach (var image in fused)
                {
                    foreach (var d in image)
                    {
                        if (!(CocoResultWriter.Round(d.Width, decimals) > 0 && CocoResultWriter.Round(d.Height, decimals) > 0)) continue;
                        writer.Write(d);
                    }
                }
                writer.Complete();
                return writer.Count;
            }
        }

        /// <summary>Every detection of the files in one array (input of the pipeline-step probe).</summary>
        public static Detection[] ReadDetections(string[] paths, string[] models)
        {
            var all = new List<Detection>();
            for (int i = 0; i < paths.Length; i++)
            {
                using (var reader = new CocoResultReader(paths[i], models[i]))
                {
                    while (reader.TryRead(out var d)) all.Add(d);
                }
            }
            return all.ToArray();
        }
    }
}
