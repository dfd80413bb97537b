namespace BoxFusion.Json
{
    /// <summary>
    /// One good record as plain values, before (or instead of) a <see cref="Detection"/> object: readers that fill
    /// an ensemble copy these straight into its arrays, and no object per record is made.
    /// </summary>
    internal struct RecordValues
    {
#pragma warning disable CA1051 // a plain carrier of one record's values between the parsers and the reader
        public object ImageId;
        public int CategoryId;
        public double Score, X, Y, Width, Height;
        public Mask Mask;
        /// <summary>The record had no bbox: the box is its run-length mask's bounding box (see <see cref="Detection.BoxFromMask"/>).</summary>
        public bool BoxFromMask;
#pragma warning restore CA1051
    }
}
