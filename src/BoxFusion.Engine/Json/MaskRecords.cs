namespace BoxFusion.Json
{
    /// <summary>What both record parsers do with a record's mask.</summary>
    internal static class MaskRecords
    {
        /// <summary>Attaches the mask; a record without 'bbox' takes the mask's bounding box (pycocotools' toBbox).</summary>
        public static void Attach(Detection detection, Mask mask, bool hasBox)
        {
            detection.Mask = mask;
            if (hasBox) return;
            var box = mask.GetBoundingBox();
            detection.X = box[0];
            detection.Y = box[1];
            detection.Width = box[2];
            detection.Height = box[3];
            // Polygons have no pixel box until rasterised; their extent stands in, and area stays the box's.
            detection.BoxFromMask = !mask.IsPolygon;
        }
    }
}
