# Export-DetectionImage and Export-PrecisionRecallChart as a user runs them: pixels, sizes, and what bad input gets.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ModuleUnderTest
    $yolox = Join-Path $SampleFolder 'yolox.json'
    # Width and height from a PNG's header, read without any graphics library.
    function Get-PngSize([string] $File) {
        $b = [System.IO.File]::ReadAllBytes($File)
        [System.Text.Encoding]::ASCII.GetString($b, 1, 3) | Should -Be 'PNG'
        [pscustomobject]@{
            Width  = ([int]$b[16] -shl 24) -bor ([int]$b[17] -shl 16) -bor ([int]$b[18] -shl 8) -bor $b[19]
            Height = ([int]$b[20] -shl 24) -bor ([int]$b[21] -shl 16) -bor ([int]$b[22] -shl 8) -bor $b[23]
        }
    }
    function Get-Pixel([string] $File, [int] $X, [int] $Y) {
        $bitmap = [SkiaSharp.SKBitmap]::Decode($File)
        try { $p = $bitmap.GetPixel($X, $Y); '#{0:X2}{1:X2}{2:X2}' -f $p.Red, $p.Green, $p.Blue } finally { $bitmap.Dispose() }
    }
    $canvas = [pscustomobject]@{ id = 1; file_name = 'one.jpg'; width = 200; height = 150 }, [pscustomobject]@{ id = 2; file_name = 'two.jpg'; width = 120; height = 90 }
    function New-Box([object] $Image = 1, [string] $Model = 'm', [double] $Score = 0.9) {
        New-Detection -ImageId $Image -CategoryId 1 -Score $Score -X 40 -Y 30 -Width 100 -Height 80 -Model $Model
    }
}

Describe 'Export-DetectionImage draws' {
    It 'a known box on a blank canvas: edge pixels in the model''s colour, inside stays background' {
        $out = Join-Path $TestDrive 'known'
        $file = New-Box | Export-DetectionImage -Path $out -ImageInfo $canvas -Color @{ m = '#FF0000' } -LineWidth 4 -NoLabel -NoLegend -PassThru
        $file.Name | Should -Be 'one.png'
        Get-PngSize $file.FullName | Should -BeLike '*Width=200*Height=150*'
        foreach ($edge in (40, 70), (139, 70), (90, 30), (90, 109)) { Get-Pixel $file.FullName @edge | Should -Be '#FF0000' }
        foreach ($inside in (90, 70), (44, 34), (10, 10)) { Get-Pixel $file.FullName @inside | Should -Be '#FFFFFF' }
    }

    It 'each model in its own colour, the ground truth dashed, with a legend' {
        $out = Join-Path $TestDrive 'models'
        $d = Import-Detection $yolox, (Join-Path $SampleFolder 'detr.json')
        $files = $d | Export-DetectionImage -Path $out -GroundTruth $SampleTruth -First 2 -PassThru
        $files.Count | Should -Be 2
        foreach ($f in $files) { (Get-PngSize $f.FullName).Width | Should -BeGreaterThan 100 }
        $first = ($d | Select-Object -First 1).ImageId
        $files[0].BaseName | Should -Be "$first"
    }

    It 'Compare-Detection rows by outcome: only the misses' {
        $out = Join-Path $TestDrive 'misses'
        $missed = Compare-Detection $SampleTruth -Path $yolox | Where-Object Outcome -EQ Missed | Sort-Object { $_.GroundTruth.Height } -Descending | Select-Object -First 1
        # no -ImageInfo: the rows carry their image's record (file name, size)
        $file = $missed | Export-DetectionImage -Path $out -LineWidth 4 -NoLabel -NoLegend -PassThru
        $file.BaseName | Should -Be ([System.IO.Path]::GetFileNameWithoutExtension($missed.FileName))
        (Get-PngSize $file.FullName).Width | Should -Be $missed.Image.Width
        $g = $missed.GroundTruth
        $x = [int][math]::Round($g.X)
        $colours = for ($y = [int]$g.Y + 4; $y -lt [int]($g.Y + $g.Height) - 4; $y++) { Get-Pixel $file.FullName $x $y }
        $colours | Should -Contain '#FF7F0E'
    }

    It 'instance masks filled in the model''s colour, unless -NoMask' {
        $maskSample = Join-Path $DataRoot 'sample-masks'
        $d = Import-Detection (Join-Path $maskSample 'maskrcnn.json') | Sort-Object { $_.Width * $_.Height } -Descending | Select-Object -First 1
        # a pixel inside the mask: run lengths are column-major (zeros first); take the middle column's first masked row
        $x = [int][math]::Floor($d.X + $d.Width / 2)
        $counts = $d.Mask.GetCounts(); $h = $d.Mask.Height
        $start = [long]$x * $h; $p = [long]0; $y = -1
        for ($j = 0; $j -lt $counts.Count -and $y -lt 0; $j++) {
            $end = $p + $counts[$j]
            if ($j % 2 -eq 1 -and $end -gt $start -and $p -lt $start + $h) { $y = [int]([math]::Max($p, $start) - $start) + 1 }
            $p = $end
        }
        $y | Should -BeGreaterThan 0
        $common = @{ ImageInfo = (Join-Path $maskSample 'gt.json'); Color = @{ maskrcnn = '#0000FF' }; NoLabel = $true; NoLegend = $true; LineWidth = 1; PassThru = $true }
        $filled = $d | Export-DetectionImage -Path (Join-Path $TestDrive 'masks') @common
        $plain = $d | Export-DetectionImage -Path (Join-Path $TestDrive 'nomasks') -NoMask @common
        Get-Pixel $filled.FullName $x $y | Should -Be '#9999FF'   # 40% blue over white
        Get-Pixel $plain.FullName $x $y | Should -Be '#FFFFFF'
    }

    It 'the same bytes whatever the number of threads' {
        $d = Import-Detection $yolox
        $one = $d | Export-DetectionImage -Path (Join-Path $TestDrive 't1') -ImageInfo $SampleTruth -First 6 -ThrottleLimit 1 -PassThru
        $two = $d | Export-DetectionImage -Path (Join-Path $TestDrive 't2') -ImageInfo $SampleTruth -First 6 -ThrottleLimit 2 -PassThru
        $one.Name | Should -Be $two.Name
        for ($i = 0; $i -lt 6; $i++) { (Get-FileHash $one[$i].FullName).Hash | Should -Be (Get-FileHash $two[$i].FullName).Hash }
    }

    It 'the real image when -ImageFolder has it, a blank canvas (with a warning) when not' {
        $images = New-Item -ItemType Directory (Join-Path $TestDrive 'images')
        $null = New-Box -Image 1 | Export-DetectionImage -Path $images -ImageInfo $canvas -BackgroundColor '#336699' -NoLabel -NoLegend
        Move-Item (Join-Path $images 'one.png') (Join-Path $images 'one.jpg')   # a PNG under a .jpg name decodes all the same
        $files = @(New-Box -Image 1; New-Box -Image 2) | Export-DetectionImage -Path (Join-Path $TestDrive 'onimages') -ImageInfo $canvas -ImageFolder $images -NoLegend -PassThru -WarningVariable warned
        Get-Pixel $files[0].FullName 100 100 | Should -Be '#336699'
        Get-Pixel $files[1].FullName 60 60 | Should -Be '#FFFFFF'
        "$warned" | Should -BeLike '*1 image(s) were not found*blank canvas*2*'
    }

    It 'nothing with -WhatIf; replaces only with -Force' {
        $out = Join-Path $TestDrive 'whatif'
        New-Box | Export-DetectionImage -Path $out -ImageInfo $canvas -WhatIf
        Test-Path $out | Should -BeFalse
        $null = New-Box | Export-DetectionImage -Path $out -ImageInfo $canvas
        $before = (Get-Item (Join-Path $out 'one.png')).Length
        New-Box | Export-DetectionImage -Path $out -ImageInfo $canvas -NoLegend -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'FileExists,*'
        (Get-Item (Join-Path $out 'one.png')).Length | Should -Be $before
        New-Box | Export-DetectionImage -Path $out -ImageInfo $canvas -NoLegend -Force
        (Get-Item (Join-Path $out 'one.png')).Length | Should -Not -Be $before
        @(Get-ChildItem $out -Force).Name | Should -Be 'one.png'   # no temporary files left
    }
}

Describe 'Export-DetectionImage and bad input' {
    It 'names unknown image ids and draws the others' {
        $out = Join-Path $TestDrive 'unknown'
        $files = @(New-Box -Image 1; New-Box -Image 77; New-Box -Image 78) | Export-DetectionImage -Path $out -ImageInfo $canvas -PassThru -ErrorVariable problems -ErrorAction SilentlyContinue
        $files.Name | Should -Be 'one.png'
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotInImageInfo,*'
        $problems[0].Exception.Message | Should -BeLike '*2 image(s)*77, 78*'
        New-Box | Export-DetectionImage -Path $out -ImageInfo $canvas -ImageId 5 -Force -ErrorVariable idProblems -ErrorAction SilentlyContinue
        $idProblems[0].FullyQualifiedErrorId | Should -BeLike 'ImageIdNotFound,*'
    }

    It 'names a corrupt image file and still draws the others' {
        $images = New-Item -ItemType Directory (Join-Path $TestDrive 'corrupt')
        [System.IO.File]::WriteAllBytes((Join-Path $images 'two.jpg'), [byte[]](0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3))
        $files = @(New-Box -Image 1; New-Box -Image 2) | Export-DetectionImage -Path (Join-Path $TestDrive 'corruptout') -ImageInfo $canvas -ImageFolder $images -PassThru -ErrorVariable problems -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $files.Name | Should -Be 'one.png'
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ImageInvalid,*'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $problems[0].TargetObject | Should -Be (Join-Path $images 'two.jpg')
        $problems[0].Exception.Message | Should -BeLike '*Image 2*two.jpg*other images are drawn*'
    }

    It 'stops on a folder that does not exist' {
        { New-Box | Export-DetectionImage -Path (Join-Path $TestDrive 'no/such/place') -ImageInfo $canvas } | Should -Throw -ErrorId 'FolderNotFound,BoxFusion.Commands.ExportDetectionImageCommand'
        { New-Box | Export-DetectionImage -Path $TestDrive -ImageInfo $canvas -ImageFolder (Join-Path $TestDrive 'nothing') } | Should -Throw -ErrorId 'ImageFolderNotFound,BoxFusion.Commands.ExportDetectionImageCommand'
    }

    It 'stops on colours it cannot read, and on sizes out of range' {
        { New-Box | Export-DetectionImage -Path $TestDrive -ImageInfo $canvas -Color @{ m = 'reddish' } } | Should -Throw -ErrorId 'ColorInvalid,BoxFusion.Commands.ExportDetectionImageCommand'
        { New-Box | Export-DetectionImage -Path $TestDrive -ImageInfo $canvas -GroundTruthColor '#12345' } | Should -Throw -ErrorId 'ColorInvalid,BoxFusion.Commands.ExportDetectionImageCommand'
        { New-Box | Export-DetectionImage -Path $TestDrive -ImageInfo $canvas -LineWidth 500 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,BoxFusion.Commands.ExportDetectionImageCommand'
        { New-Box | Export-DetectionImage -Path $TestDrive -ImageInfo $canvas -BackgroundColor 'nope' } | Should -Throw -ErrorId 'ColorInvalid,BoxFusion.Commands.ExportDetectionImageCommand'
        { New-Box | Export-DetectionImage -Path $TestDrive -ImageInfo $canvas -FontSize 401 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,BoxFusion.Commands.ExportDetectionImageCommand'
        { New-Box | Export-DetectionImage -Path $TestDrive -ImageInfo $canvas -MinScore 1.5 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,BoxFusion.Commands.ExportDetectionImageCommand'
        { New-Box | Export-DetectionImage -Path $TestDrive -ImageInfo $canvas -ThrottleLimit 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,BoxFusion.Commands.ExportDetectionImageCommand'
        New-Box | Export-DetectionImage -Path (Join-Path $TestDrive 'huge') -ImageInfo ([pscustomobject]@{ id = 1; width = 50000; height = 50000 }) -ErrorVariable big -ErrorAction SilentlyContinue
        $big[0].FullyQualifiedErrorId | Should -BeLike 'ImageSizeInvalid,*'
        # no image info and no image file: nothing gives the canvas size
        New-Box | Export-DetectionImage -Path (Join-Path $TestDrive 'nosize') -ErrorVariable none -ErrorAction SilentlyContinue
        $none[0].FullyQualifiedErrorId | Should -BeLike 'ImageSizeUnknown,*'
    }

    It 'says what it cannot draw' {
        'hello' | Export-DetectionImage -Path (Join-Path $TestDrive 'text') -ImageInfo $canvas -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'InputNotDetection,*'
    }
}

Describe 'Export-PrecisionRecallChart' {
    BeforeAll {
        $results = Measure-Detection $SampleTruth -Path $yolox, (Join-Path $SampleFolder 'detr.json') -GroupBy Model
    }

    It 'writes a PNG of the size asked for' {
        $file = $results | Export-PrecisionRecallChart (Join-Path $TestDrive 'pr.png') -Width 640 -Height 480 -PassThru
        $size = Get-PngSize $file.FullName
        $size.Width | Should -Be 640
        $size.Height | Should -Be 480
        $bitmap = [SkiaSharp.SKBitmap]::Decode($file.FullName)
        $bitmap.Width | Should -Be 640
        $bitmap.Dispose()
    }

    It 'one category, one panel; replaces only with -Force' {
        $path = Join-Path $TestDrive 'one.png'
        $results | Export-PrecisionRecallChart $path -Category class1 -IouThreshold 0.5 -Width 400 -Height 300
        (Get-PngSize $path).Width | Should -Be 400
        { $results | Export-PrecisionRecallChart $path } | Should -Throw -ErrorId 'FileExists,BoxFusion.Commands.ExportPrecisionRecallChartCommand'
        $results | Export-PrecisionRecallChart $path -Force
        (Get-PngSize $path).Width | Should -Be 1500
    }

    It 'refuses bad input with clear errors' {
        $path = Join-Path $TestDrive 'bad.png'
        { $results | Export-PrecisionRecallChart $path -Category 'no such thing' } | Should -Throw -ErrorId 'CategoryNotFound,BoxFusion.Commands.ExportPrecisionRecallChartCommand'
        { $results | Export-PrecisionRecallChart $path -Color 'bogus' } | Should -Throw -ErrorId 'ColorInvalid,BoxFusion.Commands.ExportPrecisionRecallChartCommand'
        { $results | Export-PrecisionRecallChart $path -Width 100 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,BoxFusion.Commands.ExportPrecisionRecallChartCommand'
        { $results | Export-PrecisionRecallChart $path -IouThreshold 0.52 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,BoxFusion.Commands.ExportPrecisionRecallChartCommand'
        { $results | Export-PrecisionRecallChart (Join-Path $TestDrive 'missing/pr.png') } | Should -Throw -ErrorId 'FolderNotFound,BoxFusion.Commands.ExportPrecisionRecallChartCommand'
        $bare = [BoxFusion.Evaluation.EvaluationResult]::new('bare', $null, [BoxFusion.Evaluation.CocoStats]::new([double[]]::new(12), $null, 0, 0, [int[]](1, 10, 100)))
        $bare | Export-PrecisionRecallChart $path -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'NoPrecisionRecall,*'
        Test-Path $path | Should -BeFalse
    }
}
