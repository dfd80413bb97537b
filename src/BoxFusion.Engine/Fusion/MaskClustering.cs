using System;
using System.Collections.Generic;

namespace BoxFusion.Fusion
{
    /// <summary>
    /// ClusterBy Mask: two detections that both carry masks overlap by their masks' IoU instead of their boxes'.
    /// A detection is compared with the cluster's founding detection (the kept one for NMS and Soft-NMS), whose
    /// mask stands for the cluster; a pair where either has no mask falls back to the box IoU the method uses.
    /// Boxes, scores and fused masks are computed as with ClusterBy Box; only who joins whom changes.
    /// </summary>
    internal static class MaskClustering
    {
        public static void Prepare(FusionScratch s, FusionContext context)
        {
            s.MaskClusters = context.Options.ClusterBy == ClusterBy.Mask && s.MaskedCount > 0;
            if (!s.MaskClusters) return;
            if (s.MaskBoxes.Length < s.Masks.Count) s.MaskBoxes = new MaskBox[Math.Max(s.Masks.Count, s.MaskBoxes.Length * 2)];
            for (int i = 0; i < s.BoxCount; i++)
            {
                int at = s.Boxes[i].Order;
                var mask = s.Masks[at];
                if (mask != null) s.MaskBoxes[at] = MaskOps.Box(mask);
            }
        }

        /// <param name="x1">The box the method compares with when masks cannot be (the cluster's fused box for WBF).</param>
        public static double Overlap(FusionScratch s, in PreparedBox b, in PreparedBox founder, double x1, double y1, double x2, double y2)
        {
            var mb = s.Masks[b.Order];
            var mf = s.Masks[founder.Order];
            if (mb == null || mf == null) return PreparedBox.Iou(b, x1, y1, x2, y2);
            return MaskOps.Iou(mb, s.MaskBoxes[b.Order], mf, s.MaskBoxes[founder.Order], crowd: false);
        }
    }
}
