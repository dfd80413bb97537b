namespace BoxFusion.Fusion
{
    /// <summary>
    /// Non-maximum weighted (Zhou et al.), as ensemble-boxes computes it: boxes join the cluster whose
    /// first (best) box they overlap most; the cluster's box is the average weighted by score times IoU
    /// with that first box, and its score is the first box's.
    /// </summary>
    internal static class NonMaximumWeighted
    {
        public static void FuseRun(FusionScratch s, int start, int end, FusionContext context)
        {
            double threshold = context.Options.IouThreshold;
            int firstCluster = s.FusedCount;
            var boxes = s.Boxes;
            for (int j = start; j < end; j++)
            {
                ref var b = ref boxes[j];
                int best = -1;
                double bestIou = threshold;
                for (int c = firstCluster; c < s.FusedCount; c++)
                {
                    ref var main = ref boxes[s.Fused[c].FirstMember];
                    double iou = s.MaskClusters ? MaskClustering.Overlap(s, b, main, main.X1, main.Y1, main.X2, main.Y2) : PreparedBox.Iou(b, main.X1, main.Y1, main.X2, main.Y2);
                    if (iou > bestIou) { bestIou = iou; best = c; }
                }
                s.NextMember[j] = -1;
                if (best < 0)
                {
                    int k = s.AddFused();
                    ref var f = ref s.Fused[k];
                    f.Category = b.Category;
                    f.Order = b.Order;
                    f.MemberCount = 1;
                    f.FirstMember = j;
                    s.Sums[k].LastMember = j;
                }
                else
                {
                    ref var sum = ref s.Sums[best];
                    s.NextMember[sum.LastMember] = j;
                    sum.LastMember = j;
                    s.Fused[best].MemberCount++;
                }
            }
            for (int c = firstCluster; c < s.FusedCount; c++) Average(s, c);
            s.FlattenChains(firstCluster);
        }

        private static void Average(FusionScratch s, int c)
        {
            ref var f = ref s.Fused[c];
            ref var main = ref s.Boxes[f.FirstMember];
            double total = 0, x1 = 0, y1 = 0, x2 = 0, y2 = 0;
            for (int m = f.FirstMember; m >= 0; m = s.NextMember[m])
            {
                ref var b = ref s.Boxes[m];
                double w = b.WeightedScore * PreparedBox.Iou(b, main.X1, main.Y1, main.X2, main.Y2);
                total += w;
                x1 += w * b.X1; y1 += w * b.Y1; x2 += w * b.X2; y2 += w * b.Y2;
            }
            if (total > 0)
            {
                f.X1 = x1 / total; f.Y1 = y1 / total; f.X2 = x2 / total; f.Y2 = y2 / total;
            }
            else
            {
                // ensemble-boxes returns NaN here; the best box is the honest answer.
                f.X1 = main.X1; f.Y1 = main.Y1; f.X2 = main.X2; f.Y2 = main.Y2;
            }
            f.Score = main.WeightedScore;
        }
    }
}
