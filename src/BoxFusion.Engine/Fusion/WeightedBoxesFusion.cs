using System;

namespace BoxFusion.Fusion
{
    /// <summary>
    /// Weighted Boxes Fusion (Solovyev et al.), as ensemble-boxes 1.0.9 computes it.
    /// Boxes of one category run, sorted by weighted score, join the cluster whose fused box
    /// overlaps them most (IoU strictly above the threshold) or found a new one.
    /// </summary>
    internal static class WeightedBoxesFusion
    {
        public static void FuseRun(FusionScratch s, int start, int end, FusionContext context)
        {
            var o = context.Options;
            double threshold = o.IouThreshold;
            bool max = o.ConfidenceType == ConfidenceType.Max;
            int firstCluster = s.FusedCount;
            var boxes = s.Boxes;
            for (int j = start; j < end; j++)
            {
                ref var b = ref boxes[j];
                int best = -1;
                double bestIou = threshold;
                var fused = s.Fused;
                for (int c = firstCluster; c < s.FusedCount; c++)
                {
                    ref var f = ref fused[c];
                    double iou = s.MaskClusters ? MaskClustering.Overlap(s, b, boxes[f.FirstMember], f.X1, f.Y1, f.X2, f.Y2) : PreparedBox.Iou(b, f.X1, f.Y1, f.X2, f.Y2);
                    if (iou > bestIou) { bestIou = iou; best = c; }
                }
                s.NextMember[j] = -1;
                if (best < 0)
                {
                    int k = s.AddFused();
                    ref var f = ref s.Fused[k];
                    f.X1 = b.X1; f.Y1 = b.Y1; f.X2 = b.X2; f.Y2 = b.Y2;
                    f.Score = b.WeightedScore;
                    f.Category = b.Category;
                    f.Order = b.Order;
                    f.MemberCount = 1;
                    f.FirstMember = j;
                    ref var sum = ref s.Sums[k];
                    sum.SumWeightedScore = b.WeightedScore;
                    sum.MaxWeightedScore = b.WeightedScore;
                    sum.SumWeight = b.Weight;
                    sum.AccX1 = b.WeightedScore * b.X1; sum.AccY1 = b.WeightedScore * b.Y1;
                    sum.AccX2 = b.WeightedScore * b.X2; sum.AccY2 = b.WeightedScore * b.Y2;
                    sum.LastMember = j;
                }
                else
                {
                    ref var f = ref s.Fused[best];
                    ref var sum = ref s.Sums[best];
                    s.NextMember[sum.LastMember] = j;
                    sum.LastMember = j;
                    f.MemberCount++;
                    double ws = b.WeightedScore;
                    sum.SumWeightedScore += ws;
                    sum.SumWeight += b.Weight;
                    if (ws > sum.MaxWeightedScore) sum.MaxWeightedScore = ws;
                    sum.AccX1 += ws * b.X1; sum.AccY1 += ws * b.Y1;
                    sum.AccX2 += ws * b.X2; sum.AccY2 += ws * b.Y2;
                    // All-zero scores would divide by zero (NaN in ensemble-boxes): keep the first member's box.
                    if (sum.SumWeightedScore > 0)
                    {
                        f.X1 = sum.AccX1 / sum.SumWeightedScore; f.Y1 = sum.AccY1 / sum.SumWeightedScore;
                        f.X2 = sum.AccX2 / sum.SumWeightedScore; f.Y2 = sum.AccY2 / sum.SumWeightedScore;
                    }
                    f.Score = max ? sum.MaxWeightedScore : sum.SumWeightedScore / f.MemberCount;
                }
            }
            for (int c = firstCluster; c < s.FusedCount; c++) Rescale(s, c, context);
            s.FlattenChains(firstCluster);
        }

        /// <summary>Turns the running score into the final one, per confidence type, as ensemble-boxes does after clustering.</summary>
        private static void Rescale(FusionScratch s, int c, FusionContext context)
        {
            ref var f = ref s.Fused[c];
            int n = f.MemberCount;
            var o = context.Options;
            switch (o.ConfidenceType)
            {
                case ConfidenceType.Max:
                    f.Score /= context.WeightMax;
                    break;
                case ConfidenceType.BoxAndModelAvg:
                    f.Score = f.Score * n / s.Sums[c].SumWeight * DistinctModelWeight(s, c, context, present: true) / context.WeightSum;
                    break;
                case ConfidenceType.AbsentModelAwareAvg:
                    f.Score = f.Score * n / (s.Sums[c].SumWeight + DistinctModelWeight(s, c, context, present: false));
                    break;
                default:
                    f.Score = o.AllowOverflow
                        ? f.Score * n / context.WeightSum
                        : f.Score * Math.Min(context.ModelCount, n) / context.WeightSum;
                    break;
            }
        }

        /// <summary>Sum of the weights of the models that have (present) or lack (!present) a member in the cluster.</summary>
        private static double DistinctModelWeight(FusionScratch s, int c, FusionContext context, bool present)
        {
            int stamp = ++s.Stamp;
            double inCluster = 0;
            for (int m = s.Fused[c].FirstMember; m >= 0; m = s.NextMember[m])
            {
                int model = s.Boxes[m].Model;
                if (s.ModelStamp[model] != stamp)
                {
                    s.ModelStamp[model] = stamp;
                    inCluster += context.RawWeights[model];
                }
            }
            return present ? inCluster : context.WeightSum - inCluster;
        }
    }
}
