using System;

namespace BoxFusion.Coco
{
    /// <summary>One entry of a COCO file's <c>images</c> array.</summary>
    public sealed class CocoImage
    {
        public CocoImage(object id, string fileName, double width, double height, int index)
        {
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

        public bool IsCrowd { get; set; }

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
