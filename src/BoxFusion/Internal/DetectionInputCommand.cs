using System.Management.Automation;

namespace BoxFusion.Commands
{
    /// <summary>
    /// The input side shared by the cmdlets that consume detections: from the pipeline (-InputObject) or read
    /// from COCO results files (-Path with wildcards, -LiteralPath), one model per file (named by -Model or by default).
    /// </summary>
    public abstract class DetectionInputCommand : PSCmdlet
    {
        protected const string InputSet = "InputObject";
        protected const string PathSet = "Path";
        protected const string LiteralPathSet = "LiteralPath";
        private ResultFileImport import;

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputSet)]
        [AllowNull]
        public Detection InputObject { get; set; }

        /// <summary>COCO results files to read directly, one model per file (faster than piping Import-Detection).</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; }

        /// <summary>Model names for -Path/-LiteralPath files: one per file in order, or one for all. Default: see <see cref="ModelNames"/>.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        [ValidateNotNullOrEmpty]
        public string[] Model { get; set; }

        /// <summary>Takes one detection (with an image id) from the pipeline or a file.</summary>
        protected abstract void Accept(Detection detection);

        /// <summary>Called before a -Path file's records go to <see cref="Accept"/>, with the model name they carry.</summary>
        protected virtual void BeginFile(string path, string model) { }

        protected override void BeginProcessing() => import = new ResultFileImport(this, 1);

        protected override void ProcessRecord()
        {
            if (ParameterSetName == InputSet)
            {
                if (InputObject == null) return;
                if (InputObject.ImageId == null)
                {
                    WriteError(Errors.Create("DetectionWithoutImageId", ErrorCategory.InvalidData, InputObject, "A detection without an image id cannot be used: " + InputObject));
                    return;
                }
                Accept(InputObject);
                return;
            }
            bool literal = ParameterSetName == LiteralPathSet;
            var files = PathResolver.ResolveExisting(this, literal ? LiteralPath : Path, literal);
            var names = ModelNaming.NamesFor(this, files, Model);
            for (int i = 0; i < files.Count; i++)
            {
                BeginFile(files[i], names[i]);
                import.Read(files[i], names[i], Accept, i + 1, files.Count);
            }
            import.Complete();
        }

        protected override void StopProcessing()
        {
            if (import != null) import.Stopping = true;
        }
    }
}
