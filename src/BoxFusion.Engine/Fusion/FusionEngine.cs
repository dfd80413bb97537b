using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace BoxFusion.Fusion
{
    /// <summary>Fuses every image of an ensemble, in parallel; the result is the same whatever the thread count.</summary>
    public static class FusionEngine
    {
        /// <param name="widths">Image widths by image index (NaN: unknown, no clipping); null when no sizes are known.</param>
        /// <param name="progress">Incremented once per fused image; read it from another thread to report progress.</param>
        public static Detection[][] FuseAll(DetectionEnsemble ensemble, FusionContext context, double[] widths, double[] heights,
            CancellationToken cancel = default, StrongBox<int> progress = null)
        {
            int n = ensemble.ImageCount;
            var results = new Detection[n][];
            var parallel = new ParallelOptions
            {
                CancellationToken = cancel,
                MaxDegreeOfParallelism = context.Options.MaxDegreeOfParallelism > 0 ? context.Options.MaxDegreeOfParallelism : Environment.ProcessorCount,
            };
            Parallel.For(0, n, parallel, () => new FusionScratch(), (i, state, scratch) =>
            {
                double w = widths != null ? widths[i] : double.NaN;
                double h = heights != null ? heights[i] : double.NaN;
                results[i] = ImageFuser.Fuse(ensemble.ImageIds[i], ensemble.GetImage(i), w, h, context, scratch);
                if (progress != null) Interlocked.Increment(ref progress.Value);
                return scratch;
            }, _ => { });
            return results;
        }

        /// <summary>Fuses a single image's detections (already in model order) without any threads.</summary>
        public static Detection[] FuseImage(object imageId, System.Collections.Generic.IReadOnlyList<EnsembleEntry> entries,
            FusionContext context, double width = double.NaN, double height = double.NaN)
        {
            return ImageFuser.Fuse(imageId, entries, width, height, context, new FusionScratch());
        }
    }

}
