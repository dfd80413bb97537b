using System;

namespace BoxFusion.Fusion
{
    /// <summary>Greedy NMS and Soft-NMS per category, as ensemble-boxes computes them.</summary>
    internal static class NonMaximumSuppression
    {
        /// <summary>Run sorted by weighted score: keep the best, drop what overlaps it more than the threshold.</summary>
        public static void Hard(FusionScratch s, int start, int end, FusionContext context)
        {
            double threshold = context.Options.IouThreshold;
            var boxes = s.Boxes;
            var removed = s.Work; // 0 = alive, 1 = removed
            for (int j = start; j < end; j++) removed[j] = 0;
            for (int i = start; i < end; i++)
            {
                if (removed[i] != 0) continue;
                ref var keep = ref boxes[i];
                int k = Found(s, i, keep.WeightedScore);
                for (int j = i + 1; j < end; j++)
                {
                    if (removed[j] != 0) continue;
                    if (Overlap(s, boxes[j], keep) > threshold)
                    {
                        removed[j] = 1;
                        s.AddMember(j);
                        s.Fused[k].MemberCount++;
                    }
                }
            }
        }

        /// <summary>
        /// Run in input order. Mirrors ensemble-boxes' cpu_soft_nms_float step for step (including its
        /// swap of the best remaining box into place), so ties resolve the same way; reports decayed scores.
        /// </summary>
        public static void Soft(FusionScratch s, int start, int end, FusionContext context)
        {
            var o = context.Options;
            bool linear = o.SoftNmsFunction == SoftNmsFunction.Linear;
            double nt = o.IouThreshold, sigma = o.Sigma;
            var boxes = s.Boxes;
            var scores = s.Work;
            for (int j = start; j < end; j++) scores[j] = boxes[j].WeightedScore;
            for (int i = start; i < end; i++)
            {
                int maxPos = -1;
                double maxScore = double.NegativeInfinity;
                for (int j = i + 1; j < end; j++)
                {
                    if (scores[j] > maxScore) { maxScore = scores[j]; maxPos = j; }
                }
                if (maxPos >= 0 && scores[i] < maxScore)
                {
                    var t = boxes[i]; boxes[i] = boxes[maxPos]; boxes[maxPos] = t;
                    double ts = scores[i]; scores[i] = scores[maxPos]; scores[maxPos] = ts;
                }
                ref var top = ref boxes[i];
                for (int j = i + 1; j < end; j++)
                {
                    double ovr = Overlap(s, boxes[j], top);
                    double weight = linear ? (ovr > nt ? 1 - ovr : 1) : Math.Exp(-(ovr * ovr) / sigma);
                    scores[j] *= weight;
                }
            }
            for (int i = start; i < end; i++)
            {
                if (!(scores[i] > o.ScoreThreshold)) continue;
                int k = Found(s, i, scores[i]);
                // Provenance: the later (lower) boxes this one decayed past the IoU threshold.
                ref var top = ref boxes[i];
                for (int j = i + 1; j < end; j++)
                {
                    if (Overlap(s, boxes[j], top) > nt)
                    {
                        s.AddMember(j);
                        s.Fused[k].MemberCount++;
                    }
                }
            }
        }

        private static double Overlap(FusionScratch s, in PreparedBox b, in PreparedBox kept) =>
            s.MaskClusters ? MaskClustering.Overlap(s, b, kept, kept.X1, kept.Y1, kept.X2, kept.Y2) : PreparedBox.Iou(b, kept.X1, kept.Y1, kept.X2, kept.Y2);

        /// <summary>A kept box becomes a fused box of its own, first of its members.</summary>
        private static int Found(FusionScratch s, int i, double score)
        {
            ref var b = ref s.Boxes[i];
            int k = s.AddFused();
            ref var f = ref s.Fused[k];
            f.X1 = b.X1; f.Y1 = b.Y1; f.X2 = b.X2; f.Y2 = b.Y2;
            f.Score = score;
            f.Category = b.Category;
            f.Order = b.Order;
            f.MemberCount = 1;
            f.FirstMember = i;
            f.MemberStart = s.MemberTotal;
            s.AddMember(i);
            return k;
        }
    }
}
