using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace BoxFusion.Fusion
{
    /// <summary>Fuses every image of an ensemble, in parallel; the result is the same whatever the thread count.</summary>
    public static class FusionEngine
    {
        /// <summary>Images fused per batch when streaming: large enough to keep every core busy, small enough that results die young.</summary>
        private const int StreamWindow = 32;

        /// <param name="widths">Image widths by image index (NaN: unknown, no clipping); null when no sizes are known.</param>
        /// <param name="progress">Incremented once per fused image; read it from another thread to report progress.</param>
        [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1068", Justification = "The optional progress counter follows the token, which nearly every caller gives and most give alone.")]
        public static Detection[][] FuseAll(DetectionEnsemble ensemble, FusionContext context, double[] widths, double[] heights,
            CancellationToken cancel = default, StrongBox<int> progress = null)
        {
            var results = new Detection[ensemble.ImageCount][];
            int threads = context.Options.MaxDegreeOfParallelism > 0 ? context.Options.MaxDegreeOfParallelism : Environment.ProcessorCount;
            FuseRange(ensemble, context, widths, heights, 0, results.Length, results, cancel, progress, threads);
            return results;
        }

        /// <summary>
        /// Fuses image by image, in order, while the next batch is being fused on other threads: each
        /// image's result can be used (and dropped) as soon as it is yielded. Output equals <see cref="FuseAll"/>.
        /// </summary>
        [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1068", Justification = "The optional progress counter follows the token, which nearly every caller gives and most give alone.")]
        public static IEnumerable<Detection[]> FuseInOrder(DetectionEnsemble ensemble, FusionContext context, double[] widths, double[] heights,
            CancellationToken cancel = default, StrongBox<int> progress = null)
        {
            int n = ensemble.ImageCount;
            int threads = context.Options.MaxDegreeOfParallelism > 0 ? context.Options.MaxDegreeOfParallelism : Environment.ProcessorCount;
            Task<Detection[][]> Start(int from) => Task.Run(() =>
            {
                var window = new Detection[Math.Min(StreamWindow, n - from)][];
                FuseRange(ensemble, context, widths, heights, from, window.Length, window, cancel, progress, threads);
                return window;
            });
            var next = n > 0 ? Start(0) : null;
            for (int from = 0; from < n; from += StreamWindow)
            {
                var window = next.GetAwaiter().GetResult();
                next = from + StreamWindow < n ? Start(from + StreamWindow) : null;
                foreach (var image in window) yield return image;
            }
        }

        [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1068", Justification = "Same order as FuseAll and FuseInOrder, which it serves.")]
        private static void FuseRange(DetectionEnsemble ensemble, FusionContext context, double[] widths, double[] heights,
            int from, int count, Detection[][] into, CancellationToken cancel, StrongBox<int> progress, int threads)
        {
            var parallel = new ParallelOptions { CancellationToken = cancel, MaxDegreeOfParallelism = threads };
            Parallel.For(0, count, parallel, () => new FusionScratch(), (k, state, scratch) =>
            {
                int i = from + k;
                double w = widths != null ? widths[i] : double.NaN;
                double h = heights != null ? heights[i] : double.NaN;
                into[k] = ImageFuser.Fuse(ensemble.ImageIds[i], ensemble.GetImage(i), ensemble.GetMasks(i), w, h, context, scratch);
                if (progress != null) Interlocked.Increment(ref progress.Value);
                return scratch;
            }, _ => { });
        }
    }
}
