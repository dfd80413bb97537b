using System;

namespace BoxFusion.Coco
{
    /// <summary>One entry of a COCO file's <c>images</c> array.</summary>
    public sealed class CocoImage
    {
        /// <exception cref="ArgumentException">The id is not an integer or a string, or a size is not a positive finite number.</exception>
        public CocoImage(object id, string fileName, double width, double height, int index)
        {
            string bad = SizeProblem(width, height);
            if (bad != null) throw new ArgumentException("Image " + ImageIds.Describe(id) + " has " + bad + ".");
            Id = ImageIds.Normalize(id);
            FileName = fileName;
            Width = width;
            Height = height;
            Index = index;
        }

        /// <summary>The image id: a <see cref="long"/> or a <see cref="string"/>.</summary>
        public object Id { get; }

        /// <summary>The <c>file_name</c>, or null when the file has none.</summary>
        public string FileName { get; }

        public double Width { get; }
        public double Height { get; }

        /// <summary>Position of this image in the file's <c>images</c> array.</summary>
        public int Index { get; }

        public override string ToString() => ImageIds.Describe(Id) + (FileName == null ? "" : " (" + FileName + ")");

        /// <summary>
        /// Null when both sizes are positive finite numbers; else what is wrong ("width 0; ..."). A width of 0 would clip
        /// every box to nothing, and NaN would turn clipping off: neither may pass silently.
        /// </summary>
        public static string SizeProblem(double width, double height) =>
            !(width > 0) || double.IsInfinity(width) ? BadSize("width", width)
            : !(height > 0) || double.IsInfinity(height) ? BadSize("height", height) : null;

        private static string BadSize(string name, double value) =>
            name + " " + value.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "; widths and heights must be positive finite numbers";
    }

    /// <summary>One entry of a COCO file's <c>categories</c> array.</summary>
    public sealed class CocoCategory
    {
        public CocoCategory(int id, string name, string supercategory = null)
        {
            Id = id;
            Name = name;
            Supercategory = supercategory;
        }

        public int Id { get; }
        public string Name { get; }
        public string Supercategory { get; }

        public override string ToString() => Id + " " + Name;
    }

    /// <summary>One ground-truth box of a COCO file's <c>annotations</c> array (bbox in pixels).</summary>
    public sealed class CocoAnnotation
    {
        private object imageId;

        public long Id { get; set; }

        /// <summary>The image id as written in the annotation: a <see cref="long"/> or a <see cref="string"/>.</summary>
        public object ImageId
        {
            get => imageId;
            set => imageId = ImageIds.Normalize(value);
        }

        public int CategoryId { get; set; }
        public double X { get; set; }
        public double Y { get; set; }
        public double Width { get; set; }
        public double Height { get; set; }

        /// <summary>The file's <c>area</c> field (pycocotools uses it for the area ranges), else Width*Height.</summary>
        public double Area { get; set; }

        /// <summary>
        /// The file's <c>iscrowd</c> value (0 when absent; true is 1). pycocotools reads it two ways: any non-zero value
        /// makes the annotation ignored (<see cref="IsIgnoredAsCrowd"/>), but only a non-zero integer part makes it a
        /// crowd region (<see cref="IsCrowd"/>): 0.5 is ignored, yet matched and measured like an ordinary box.
        /// </summary>
        public double CrowdValue { get; set; }

        /// <summary>A crowd region: IoU over the detection's area, and may be matched by many detections (int(iscrowd) != 0).</summary>
        public bool IsCrowd
        {
            get => Math.Truncate(CrowdValue) != 0;
            set => CrowdValue = value ? 1 : 0;
        }

        /// <summary>Ignored in evaluation because of iscrowd (pycocotools: <c>gt['ignore'] = 'iscrowd' in gt and gt['iscrowd']</c>).</summary>
        public bool IsIgnoredAsCrowd => CrowdValue != 0;

        /// <summary>
        /// The file gave no <c>id</c> and <see cref="Id"/> was numbered by position: such an annotation never stands in for
        /// another of the same id (pycocotools would fail on it instead).
        /// </summary>
        public bool IdAssigned { get; set; }

        /// <summary>The file's optional <c>ignore</c> field.</summary>
        public bool Ignore { get; set; }

        /// <summary>The segmentation (polygons, or RLE for crowd regions), when the file was loaded with masks; else null.</summary>
        public Mask Mask
        {
            get => mask;
            set { mask = value; Rasterized = null; }
        }

        private Mask mask;

        /// <summary>Why the file's segmentation could not be read (reported when masks are evaluated); null when fine.</summary>
        public MaskFormatException MaskError { get; set; }

        /// <summary>The mask rasterised for its image, cached by the evaluator.</summary>
        internal Mask Rasterized { get; set; }

        public override string ToString() => string.Format(
            System.Globalization.CultureInfo.InvariantCulture,
            "ann {0} image {1} cat {2} [{3}, {4}, {5}, {6}]{7}",
            Id, ImageIds.Describe(ImageId), CategoryId, X, Y, Width, Height, IsCrowd ? " crowd" : "");
    }

    /// <summary>A COCO ground-truth file (or results file) that could not be read.</summary>
    public sealed class CocoFormatException : Exception
    {
        public CocoFormatException(string message, string filePath, long bytePosition = -1, int recordIndex = -1, string section = null, Exception inner = null)
            : base(message, inner)
        {
            FilePath = filePath;
            BytePosition = bytePosition;
            RecordIndex = recordIndex;
            Section = section;
        }

        /// <summary>The file that was being read.</summary>
        public string FilePath { get; }

        /// <summary>Byte offset in the file near the problem, or -1 when unknown.</summary>
        public long BytePosition { get; }

        /// <summary>Index of the bad record within <see cref="Section"/>, or -1 when none.</summary>
        public int RecordIndex { get; }

        /// <summary>The top-level array being read ("images", "annotations", "categories"), or null.</summary>
        public string Section { get; }
    }
}
