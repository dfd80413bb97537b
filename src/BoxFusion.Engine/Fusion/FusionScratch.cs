using System;
using System.Collections.Generic;

namespace BoxFusion.Fusion
{
    /// <summary>Running sums of one WBF cluster, so a joining box costs O(1) instead of a re-average.</summary>
    internal struct ClusterSums
    {
        public double SumWeightedScore, SumWeight, MaxWeightedScore;
        public double AccX1, AccY1, AccX2, AccY2;
        public int LastMember;
    }

    /// <summary>A WBF cluster's fused box with its area, packed for the search over the run's clusters.</summary>
    internal struct ClusterExtent
    {
        public double X1, Y1, X2, Y2, Area;
    }

    /// <summary>Per-thread buffers reused from image to image, so fusing allocates almost nothing.</summary>
    internal sealed class FusionScratch
    {
        public PreparedBox[] Boxes = new PreparedBox[256];
        public int BoxCount;
        /// <summary>Next member of the same cluster (index into Boxes), -1 at the end.</summary>
        public int[] NextMember = new int[256];
        /// <summary>Sort workspace: packed keys, a permutation, and a second box array to permute into.</summary>
        public long[] SortKeys = new long[256];
        /// <summary>Counting-sort buckets by category (see BoxSorter).</summary>
        public int[] CategoryStart = new int[128];
        public int[] SortIndex = new int[256];
        public readonly ScoreRadix Radix = new ScoreRadix();
        public PreparedBox[] SortedBoxes = new PreparedBox[256];
        public FusedBox[] Fused = new FusedBox[256];
        public ClusterSums[] Sums = new ClusterSums[256];
        /// <summary>WBF: each cluster's current box and area, by fused index (see WeightedBoxesFusion.BestCluster).</summary>
        public ClusterExtent[] Extents = new ClusterExtent[256];
        public int FusedCount;
        public double[] Work = new double[256];
        /// <summary>Members of every fused box, each box's run contiguous (see FusedBox.MemberStart).</summary>
        public int[] Members = new int[256];
        public int MemberTotal;
        public int[] ModelStamp = new int[8];
        public int Stamp;
        /// <summary>Prepared boxes of the current image that carry a mask (0: the image is fused as boxes only).</summary>
        public int MaskedCount;
        public MaskVoteScratch MaskVote;
        /// <summary>ClusterBy Mask with masks on this image: overlaps are mask IoUs (see MaskClustering).</summary>
        public bool MaskClusters;
        /// <summary>The image's masks by input position (null: none) and, with MaskClusters, each mask's box.</summary>
        public IReadOnlyList<Mask> Masks;
        public MaskBox[] MaskBoxes = Array.Empty<MaskBox>();

        public void Reset(int boxCapacity, int modelCount)
        {
            BoxCount = 0;
            FusedCount = 0;
            MemberTotal = 0;
            if (Boxes.Length < boxCapacity)
            {
                int size = Math.Max(boxCapacity, Boxes.Length * 2);
                Boxes = new PreparedBox[size];
                SortedBoxes = new PreparedBox[size];
                SortKeys = new long[size];
                SortIndex = new int[size];
                NextMember = new int[size];
                Work = new double[size];
            }
            if (Members.Length < boxCapacity * 2) Members = new int[Math.Max(boxCapacity * 2, Members.Length * 2)];
            if (ModelStamp.Length < modelCount)
            {
                ModelStamp = new int[modelCount];
                Stamp = 0;
            }
        }

        public void AddMember(int box)
        {
            if (MemberTotal == Members.Length) Array.Resize(ref Members, Members.Length * 2);
            Members[MemberTotal++] = box;
        }

        /// <summary>Copies each cluster's linked members (FirstMember, NextMember) into the contiguous member list.</summary>
        public void FlattenChains(int firstCluster)
        {
            for (int c = firstCluster; c < FusedCount; c++)
            {
                Fused[c].MemberStart = MemberTotal;
                for (int m = Fused[c].FirstMember; m >= 0; m = NextMember[m]) AddMember(m);
            }
        }

        /// <summary>Makes room for one more fused box and returns its index.</summary>
        public int AddFused()
        {
            if (FusedCount == Fused.Length)
            {
                Array.Resize(ref Fused, Fused.Length * 2);
                Array.Resize(ref Sums, Sums.Length * 2);
                Array.Resize(ref Extents, Extents.Length * 2);
            }
            return FusedCount++;
        }
    }
}
