namespace BoxFusion.Json
{
    /// <summary>What both record parsers do with a record's mask.</summary>
    internal static class MaskRecords
    {
        /// <summary>Attaches the mask; a record without 'bbox' takes the mask's bounding box (pycocotools' toBbox).</summary>
        public static void Attach(ref RecordValues record, Mask mask, bool hasBox)
        {
            record.Mask = mask;
            if (hasBox) return;
            var box = mask.GetBoundingBox();
            record.X = box[0];
            record.Y = box[1];
            record.Width = box[2];
            record.Height = box[3];
            // Polygons have no pixel box until rasterised; their extent stands in, and area stays the box's.
            record.BoxFromMask = !mask.IsPolygon;
        }
    }
}
