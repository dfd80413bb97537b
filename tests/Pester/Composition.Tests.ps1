BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ModuleUnderTest
    $caseA = Join-Path $DataRoot 'case-a'
}

Describe 'New-Detection' {
    It 'builds detections from CSV rows with corner coordinates, and they merge' {
        $rows = @"
ImageId,CategoryId,Score,X1,Y1,X2,Y2,Model
7,1,0.8,0,0,10,10,a
7,1,0.4,2,0,12,10,b
8.jpg,2,0.4,5,5,20,20,a
"@ | ConvertFrom-Csv
        $d = $rows | New-Detection
        $d.Count | Should -Be 3
        $d[0] | Should -BeOfType BoxFusion.Detection
        $d[0].ImageId | Should -BeOfType long
        $d[2].ImageId | Should -Be '8.jpg'
        $d[1].X | Should -Be 2
        $d[1].Width | Should -Be 10
        $fused = $d | Merge-Detection
        $fused.Count | Should -Be 2
        $fused[0].Score | Should -BeGreaterThan (0.6 - 1e-12)
        $fused[0].Score | Should -BeLessThan (0.6 + 1e-12)
        $fused[0].X | Should -BeGreaterThan 0.66
        $fused[0].X | Should -BeLessThan 0.67
    }

    It 'builds detections from objects with X, Y, Width, Height' {
        $d = [pscustomobject]@{ ImageId = 3; CategoryId = 2; Score = 0.5; X = 1; Y = 2; Width = 3; Height = 4; Model = 'm' } | New-Detection
        $d.Right | Should -Be 4
        $d.Bottom | Should -Be 6
        $d.Model | Should -Be 'm'
    }

    It 'reports an object without a complete box, and a bad score, per item' {
        $in = [pscustomobject]@{ ImageId = 1; CategoryId = 1; Score = 0.5; X = 1 },
              [pscustomobject]@{ ImageId = 1; CategoryId = 1; Score = [double]::NaN; X = 1; Y = 1; Width = 1; Height = 1 },
              [pscustomobject]@{ ImageId = 1; CategoryId = 1; Score = 0.5; X = 1; Y = 1; Width = 1; Height = 1 }
        $d = $in | New-Detection -ErrorVariable errs -ErrorAction SilentlyContinue
        @($d).Count | Should -Be 1
        $errs.FullyQualifiedErrorId | Should -Be 'IncompleteBox,BoxFusion.Commands.NewDetectionCommand', 'InvalidDetection,BoxFusion.Commands.NewDetectionCommand'
    }
}

Describe 'Detections in ordinary PowerShell pipelines' {
    BeforeAll {
        $all = Import-Detection (Join-Path $caseA 'model*.json')
        $reference = $all | Merge-Detection | ForEach-Object ToString
    }

    It 'survive Export-Clixml / Import-Clixml and still merge to the same result' {
        $file = Join-Path ([IO.Path]::GetTempPath()) "bf-$([guid]::NewGuid()).xml"
        $all | Export-Clixml $file
        $back = Import-Clixml $file
        Remove-Item $file
        $back[0] | Should -BeOfType BoxFusion.Detection
        $back | Merge-Detection | ForEach-Object ToString | Should -Be $reference
    }

    It 'survive Where-Object, Sort-Object and Group-Object' {
        $filtered = $all | Where-Object Score -GT 0.05
        ($filtered | Sort-Object Score -Descending | Merge-Detection).Count | Should -BeGreaterThan 0
        $regrouped = $all | Group-Object Model | ForEach-Object Group
        $regrouped | Merge-Detection | ForEach-Object ToString | Should -Be $reference
    }
}

Describe 'Import-Detection -Format Yolo' {
    BeforeAll {
        $gtFile = Join-Path $caseA 'gt.json'
        $gt = Get-Content $gtFile -Raw | ConvertFrom-Json
        $dir = Join-Path (New-TestFolder) 'exp/labels'
        $null = New-Item -ItemType Directory $dir
        $image = $gt.images[0]
        $stem = [IO.Path]::GetFileNameWithoutExtension($image.file_name)
        Set-Content (Join-Path $dir "$stem.txt") "0 0.5 0.5 0.2 0.1 0.9`n2 0.25 0.25 0.1 0.1 0.3`nbad line`n"
        Set-Content (Join-Path $dir 'no-such-image.txt') "0 0.5 0.5 0.2 0.1 0.9"
    }
    AfterAll { Remove-Item (Split-Path (Split-Path $dir)) -Recurse -Force }

    It 'reads normalised class cx cy w h conf lines into pixel boxes of the right image and category' {
        $d = Import-Detection (Join-Path $dir "$stem.txt") -Format Yolo -ImageInfo $gtFile -ErrorVariable errs -ErrorAction SilentlyContinue
        $d.Count | Should -Be 2
        $d[0].ImageId | Should -Be $image.id
        $d[0].CategoryId | Should -Be $gt.categories[0].id
        $d[1].CategoryId | Should -Be $gt.categories[2].id
        $d[0].Score | Should -Be 0.9
        $d[0].X | Should -BeGreaterThan (0.4 * $image.width - 1e-9)
        $d[0].X | Should -BeLessThan (0.4 * $image.width + 1e-9)
        $d[0].Height | Should -BeGreaterThan (0.1 * $image.height - 1e-9)
        $d[0].Model | Should -Be 'exp'
        $errs.FullyQualifiedErrorId | Should -Be 'SkippedLinesBadBox,BoxFusion.Commands.ImportDetectionCommand'
        "$($errs[0])" | Should -BeLike '1 YOLO prediction line skipped*line 3*'
    }

    It 'reports a file whose name matches no image, and needs -ImageInfo' {
        $null = Import-Detection (Join-Path $dir '*.txt') -Format Yolo -ImageInfo $gtFile -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.FullyQualifiedErrorId | Should -Contain 'ImageNotInImageInfo,BoxFusion.Commands.ImportDetectionCommand'
        { Import-Detection (Join-Path $dir '*.txt') -Format Yolo -ErrorAction Stop } | Should -Throw -ErrorId 'YoloNeedsImageInfo,BoxFusion.Commands.ImportDetectionCommand'
    }
}
