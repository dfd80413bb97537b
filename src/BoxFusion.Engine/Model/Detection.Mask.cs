namespace BoxFusion
{
    // The instance-segmentation side of a detection.
    public sealed partial class Detection
    {
        // A masked detection's tail is a MaskedOrigin of its own (a BoxFromMaskOrigin for a record without a bbox):
        // a box-only detection pays nothing for masks.

        /// <summary>The instance mask (run lengths, or polygons until an image size is known); null for a box-only detection.</summary>
        public Mask Mask
        {
            get => (tail as MaskedOrigin)?.Mask;
            set => tail = MaskedOrigin.Of(Origin, value, boxFromMask: false);
        }

        /// <summary>Whether the detection carries a mask.</summary>
        public bool HasMask => tail is MaskedOrigin;

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
            get => tail is BoxFromMaskOrigin;
            set
            {
                if (value != BoxFromMask) SetMask(Mask, value);
            }
        }

        /// <summary>The mask and whether the box came from it, in one step (readers).</summary>
        internal void SetMask(Mask mask, bool boxFromMask) => tail = MaskedOrigin.Of(Origin, mask, boxFromMask);
    }
}
