namespace BoxFusion
{
    // The instance-segmentation side of a detection.
    public sealed partial class Detection
    {
        // A Mask, or (rarely: records without a bbox) a BoxFromMaskMark around it: one field for both keeps a
        // box-only detection 8 bytes larger, not 16.
        private object maskSlot;

        /// <summary>The instance mask (run lengths, or polygons until an image size is known); null for a box-only detection.</summary>
        public Mask Mask
        {
            get => maskSlot as Mask ?? (maskSlot as BoxFromMaskMark)?.Mask;
            set => maskSlot = value;
        }

        /// <summary>Whether the detection carries a mask.</summary>
        public bool HasMask => maskSlot != null;

        /// <summary>The mask's foreground pixels; null without a mask or for polygons not yet rasterised.</summary>
        public long? MaskArea
        {
            get
            {
                var mask = Mask;
                return mask == null || mask.IsPolygon ? (long?)null : mask.Area;
            }
        }

        /// <summary>
        /// The file gave no bbox, so the box is the mask's bounding box. pycocotools then measures a detection's
        /// size by its mask area instead of its box area; the evaluator does the same. Setting a new Mask clears it.
        /// </summary>
        internal bool BoxFromMask
        {
            get => maskSlot is BoxFromMaskMark;
            set
            {
                var mask = Mask;
                maskSlot = value && mask != null ? new BoxFromMaskMark(mask) : (object)mask;
            }
        }

        private sealed class BoxFromMaskMark
        {
            public BoxFromMaskMark(Mask mask) { Mask = mask; }
            public readonly Mask Mask;
        }
    }
}
