using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;

namespace BoxFusion.Fusion
{
    /// <summary>
    /// Images to fuse, in output order (first appearance over the inputs in order): either held in memory
    /// (<see cref="EnsembleSource"/>) or streamed from files grouped by image (<see cref="StreamingFusion"/>).
    /// Both give the same images, boxes and order, so the fused output is the same bytes.
    /// </summary>
    public interface IFusionSource
    {
        IReadOnlyList<string> Models { get; }
        IReadOnlyList<object> ImageIds { get; }
        long DetectionCount { get; }

        /// <summary>Fused detections image by image, in order; see <see cref="FusionEngine.FuseInOrder"/>.</summary>
        [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1068", Justification = "The parameters of FusionEngine.FuseInOrder, which the ensemble's source passes on.")]
        IEnumerable<Detection[]> FuseInOrder(FusionContext context, double[] widths, double[] heights,
            CancellationToken cancel = default, StrongBox<int> progress = null);
    }

    /// <summary>A <see cref="DetectionEnsemble"/> as a fusion source.</summary>
    public sealed class EnsembleSource : IFusionSource
    {
        public EnsembleSource(DetectionEnsemble ensemble) => Ensemble = ensemble;

        public DetectionEnsemble Ensemble { get; }
        public IReadOnlyList<string> Models => Ensemble.Models;
        public IReadOnlyList<object> ImageIds => Ensemble.ImageIds;
        public long DetectionCount => Ensemble.DetectionCount;

        public IEnumerable<Detection[]> FuseInOrder(FusionContext context, double[] widths, double[] heights,
            CancellationToken cancel = default, StrongBox<int> progress = null) =>
            FusionEngine.FuseInOrder(Ensemble, context, widths, heights, cancel, progress);
    }
}
