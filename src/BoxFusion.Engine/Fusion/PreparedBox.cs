namespace BoxFusion.Fusion
{
    /// <summary>A box ready for fusion: corners in pixels, clipped and ordered.</summary>
    internal struct PreparedBox
    {
        public double X1, Y1, X2, Y2;
        /// <summary>Score times the model's weight: what fusion sorts and averages by.</summary>
        public double WeightedScore;
        public double Weight;
        public int Category;
        public int Model;
        /// <summary>Position in the image's input (model order, then position in the model's list): breaks ties.</summary>
        public int Order;

        public static double Iou(in PreparedBox a, double bx1, double by1, double bx2, double by2)
        {
            double w = System.Math.Min(a.X2, bx2) - System.Math.Max(a.X1, bx1);
            double h = System.Math.Min(a.Y2, by2) - System.Math.Max(a.Y1, by1);
            if (w <= 0 || h <= 0) return 0;
            double inter = w * h;
            return inter / ((a.X2 - a.X1) * (a.Y2 - a.Y1) + (bx2 - bx1) * (by2 - by1) - inter);
        }
    }

    /// <summary>A fused box before it becomes a <see cref="Detection"/>.</summary>
    internal struct FusedBox
    {
        public double X1, Y1, X2, Y2;
        public double Score;
        public int Category;
        /// <summary>Order of the member that founded the cluster: breaks score ties.</summary>
        public int Order;
        public int MemberCount;
        /// <summary>The founding member (index into the scratch's boxes).</summary>
        public int FirstMember;
        /// <summary>Where this box's members start in the scratch's member list (filled once clustering ends).</summary>
        public int MemberStart;
    }
}
