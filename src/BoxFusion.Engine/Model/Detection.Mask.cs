namespace BoxFusion
{
    // The instance-segmentation side of a detection.
    public sealed partial class Detection
    {
        /// <summary>The instance mask (run lengths, or polygons until an image size is known); null for a box-only detection.</summary>
        public Mask Mask { get; set; }

        /// <summary>Whether the detection carries a mask.</summary>
        public bool HasMask => Mask != null;

        /// <summary>The mask's foreground pixels; null without a mask or for polygons not yet rasterised.</summary>
        public long? MaskArea => Mask == null || Mask.IsPolygon ? (long?)null : Mask.Area;

        /// <summary>
        /// The file gave no bbox, so the box is the mask's bounding box. pycocotools then measures a detection's
        /// size by its mask area instead of its box area; the evaluator does the same.
        /// </summary>
        internal bool BoxFromMask { get; set; }
    }
}
