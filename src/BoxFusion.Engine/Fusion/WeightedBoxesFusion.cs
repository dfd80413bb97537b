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
                int best = s.MaskClusters ? BestMaskCluster(s, b, firstCluster, threshold) : BestCluster(s, b, firstCluster, threshold);
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
                    SetExtent(s, k, ref f);
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
                        SetExtent(s, best, ref f);
                    }
                    f.Score = max ? sum.MaxWeightedScore : sum.SumWeightedScore / f.MemberCount;
                }
            }
            for (int c = firstCluster; c < s.FusedCount; c++) Rescale(s, c, context);
            s.FlattenChains(firstCluster);
        }

        private static void SetExtent(FusionScratch s, int c, ref FusedBox f)
        {
            ref var e = ref s.Extents[c];
            e.X1 = f.X1; e.Y1 = f.Y1; e.X2 = f.X2; e.Y2 = f.Y2;
            e.Area = (f.X2 - f.X1) * (f.Y2 - f.Y1);
        }

        /// <summary>
        /// The cluster whose fused box overlaps the box most, IoU strictly above the threshold (the first on ties), or -1.
        /// The IoU is PreparedBox.Iou's arithmetic with both areas computed once. Without branches on the overlap
        /// (most boxes of a category miss most clusters, in no pattern a predictor learns): a negative width or height
        /// becomes an intersection of 0, whose IoU of 0 (or NaN) never beats the threshold, which is at least 0.
        /// </summary>
        private static int BestCluster(FusionScratch s, in PreparedBox b, int firstCluster, double threshold)
        {
            int best = -1;
            double bestIou = threshold;
            double bx1 = b.X1, by1 = b.Y1, bx2 = b.X2, by2 = b.Y2;
            double area = (bx2 - bx1) * (by2 - by1);
            var extents = s.Extents;
            int count = s.FusedCount;
            for (int c = firstCluster; c < count; c++)
            {
                ref var e = ref extents[c];
                // Coordinates are finite; a zero's sign, the one thing Min and Max may pick differently from PreparedBox.Iou's
                // comparisons, changes neither a width that is not 0 nor the verdict on one that is.
                double w = Math.Min(e.X2, bx2) - Math.Max(e.X1, bx1);
                double h = Math.Min(e.Y2, by2) - Math.Max(e.Y1, by1);
                double inter = Math.Max(w, 0) * Math.Max(h, 0);
                double iou = inter / (area + e.Area - inter);
                if (iou > bestIou) { bestIou = iou; best = c; }
            }
            return best;
        }

        private static int BestMaskCluster(FusionScratch s, in PreparedBox b, int firstCluster, double threshold)
        {
            int best = -1;
            double bestIou = threshold;
            var fused = s.Fused;
            for (int c = firstCluster; c < s.FusedCount; c++)
            {
                ref var f = ref fused[c];
                double iou = MaskClustering.Overlap(s, b, s.Boxes[f.FirstMember], f.X1, f.Y1, f.X2, f.Y2);
                if (iou > bestIou) { bestIou = iou; best = c; }
            }
            return best;
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
